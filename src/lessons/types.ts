/**
 * The lesson file format (docs/lessons.md is the trainer's guide to it). A lesson is plain JSON:
 * where its captures are, which connection of them it walks through, and what to say, ask and
 * expect at each packet. Everything a lesson shows is text: nothing in it is ever read as HTML.
 *
 * Packet numbers in a lesson are the connection's own packet indices (0 = its first packet, the
 * same numbering as CloseFacts.states and the ladder), so a lesson still lines up when the capture
 * holds other traffic.
 */

export const LESSON_FORMAT = 'teardown-lesson';
export const LESSON_VERSION = 1;

export type LessonSide = 'client' | 'server';

/** One input of the lesson: a file next to the lesson (relative URL), or carried inline. */
export interface LessonCapture {
  /** File name shown in messages and on the ladder ("inside.txt"); defaults to the URL's last part. */
  name: string;
  /** Relative (to the lesson file) or absolute http(s) URL. Exactly one of url/text/base64. */
  url?: string;
  /** Inline capture text (tcpdump -n, ASA show capture, syslog). */
  text?: string;
  /** Inline binary capture (pcap, pcapng, gzip), standard base64. */
  base64?: string;
  /** How the capture was made, for the curious trainer (shown under the lesson). */
  note?: string;
  /** For two captures of the same traffic: which capture point this is ("inside", "outside"). */
  vantage?: string;
}

export interface LessonLoadOptions {
  /** YYYY-MM-DD. */
  date?: string;
  year?: number;
}

/** Which connection of the analysed captures the lesson walks through. */
export interface LessonConnectionRef {
  /** Server endpoint "ip:port" or ":port" (any address); client likewise. Unset = any. */
  server?: string;
  client?: string;
  /** Among the connections that match, the n-th (0-based) in capture order. Default 0. */
  nth?: number;
}

export interface LessonChoice {
  text: string;
  correct: boolean;
  /** Why this choice is right or wrong, shown once it is picked. */
  why: string;
}

export interface LessonQuestion {
  /** Asked before the step's packet is shown: "What does the server send now?" */
  prompt: string;
  choices: LessonChoice[];
}

/** What the lesson says the packet is (checked against the capture when the lesson loads). */
export interface LessonExpectPacket {
  from?: LessonSide;
  /** Flag names in any order, e.g. "FIN ACK"; the packet must carry exactly these among SYN FIN RST ACK. */
  flags?: string;
}

export interface LessonStep {
  /** Connection packet index (0-based) this step is about. */
  packet: number;
  /** The explanation shown with the packet (plain text; blank lines separate paragraphs). */
  text?: string;
  /** A short label drawn on the ladder next to the arrow. */
  label?: string;
  expect?: LessonExpectPacket;
  /** The endpoint states once this packet has been sent/seen, as the analysis must also find them. */
  states?: Partial<Record<LessonSide, string>>;
  question?: LessonQuestion;
}

export interface LessonReference {
  title: string;
  url?: string;
}

export interface Lesson {
  format: typeof LESSON_FORMAT;
  version: number;
  /** Short name, [a-z0-9-], used in #lesson=<id>. */
  id: string;
  title: string;
  /** One or two sentences for the lesson list. */
  summary: string;
  /** Shown before the first packet. */
  intro: string;
  /** Shown after the last packet. */
  conclusion: string;
  captures: LessonCapture[];
  connection: LessonConnectionRef;
  /** How to read the captures: the date for text captures whose stamps have only a time of day, the year for syslog. */
  options?: LessonLoadOptions;
  /** Packet indices [from, to] (inclusive) to walk through; default the whole connection. */
  range?: { from: number; to?: number };
  /** Names for the two ends on the ladder ("browser", "web server"); default client/server. */
  names?: Partial<Record<LessonSide, string>>;
  /** Name of the middle lane when the lesson has firewall logs ("ASA"). */
  firewallName?: string;
  steps: LessonStep[];
  references?: LessonReference[];
  /** Provenance/credits, shown small at the end. */
  credits?: string;
}
