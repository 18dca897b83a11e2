/**
 * What each input format is, declared once: its name in reports, its label on the page, what it yields (packets
 * or firewall events, or TLS secrets), whether its packets can be re-read from the file by offset, and how
 * it is recognised; the InputFormat type is its keys. The decoders that go with these names are in
 * decode/formats.ts; the engine and the UI ask this table instead of comparing format strings.
 */
export type FormatYield = 'packets' | 'firewall-events' | 'secrets';

export interface FormatInfo {
  /** The name in reports (InputReport.format): the entry's key. */
  name: InputFormat;
  /** Shown in the list of sources. */
  label: string;
  yields: FormatYield;
  /** Packets can be re-read by offset (details, pcap export); text captures keep no payload to re-read. */
  rereadable: boolean;
  /** How the content is recognised: a magic number, or a scored text sniff. */
  recognisedBy: 'magic' | 'text-sniff';
  /** What the source list counts ("packets" or "lines"). */
  unit: 'packets' | 'lines';
  /**
   * A firewall log's advice when it holds no connection messages (Built/Teardown, session ends) at all: how to
   * make the device log them, in its own terms; null for the other formats.
   */
  connectionLogging: string | null;
  /**
   * A firewall log: when its teardown is stamped. `at-close`: when the firewall handled the packet that closed the
   * connection (ASA/FTD 302014: the FIN, RST or timeout), so the stamp is a packet's time; `after-close`: when the
   * session left the table, after the close and its timers (FortiGate: the session-end log is written as the session
   * is removed, a closed TCP session after tcp-timewait-timer, 1 s by default, a half-closed one after
   * tcp-halfclose-timer, 120 s), so the stamp is later than the close by an unknown delay and times no packet.
   */
  teardownStamp?: 'at-close' | 'after-close';
}

const TABLE = {
  pcap: { label: 'pcap', yields: 'packets', rereadable: true, recognisedBy: 'magic', unit: 'packets', connectionLogging: null },
  pcapng: { label: 'pcapng', yields: 'packets', rereadable: true, recognisedBy: 'magic', unit: 'packets', connectionLogging: null },
  'asa-syslog': {
    label: 'ASA/FTD syslog', yields: 'firewall-events', rereadable: false, recognisedBy: 'text-sniff', unit: 'lines',
    connectionLogging: 'ASA/FTD: logging level 6 or above (302013/302014)',
    teardownStamp: 'at-close',
  },
  'fortigate-traffic': {
    label: 'FortiGate traffic log', yields: 'firewall-events', rereadable: false, recognisedBy: 'text-sniff', unit: 'lines',
    // Session-end traffic logs (log id 13) are written for the policies that log all traffic.
    connectionLogging: 'FortiGate: traffic logs of every session (firewall policy set logtraffic all)',
    teardownStamp: 'after-close',
  },
  'asa-show-capture': { label: 'ASA show capture', yields: 'packets', rereadable: false, recognisedBy: 'text-sniff', unit: 'lines', connectionLogging: null },
  'tcpdump-text': { label: 'tcpdump text', yields: 'packets', rereadable: false, recognisedBy: 'text-sniff', unit: 'lines', connectionLogging: null },
  'tls-keylog': { label: 'TLS key log', yields: 'secrets', rereadable: false, recognisedBy: 'text-sniff', unit: 'lines', connectionLogging: null },
  unknown: { label: 'not recognised', yields: 'packets', rereadable: false, recognisedBy: 'magic', unit: 'packets', connectionLogging: null },
} as const satisfies Record<string, Omit<FormatInfo, 'name'>>;

/** Every input format's name (InputReport.format): the keys of the table. */
export type InputFormat = keyof typeof TABLE;

export const FORMATS = Object.fromEntries(
  Object.entries(TABLE).map(([name, info]) => [name, { name, ...info }]),
) as Readonly<Record<InputFormat, FormatInfo>>;

/** The format's entry (an unknown name, e.g. from an old share link, reads as `unknown`). */
export function formatInfo(format: string): FormatInfo {
  return (FORMATS as Record<string, FormatInfo>)[format] ?? FORMATS.unknown;
}

/** Does this input carry firewall events (a firewall log)? */
export function isFirewallLog(format: string): boolean {
  return formatInfo(format).yields === 'firewall-events';
}

/**
 * The formats whose packets can be re-read by record offset (the table's `rereadable: true` entries), for type
 * narrowing; each has a framer in decode/formats.ts.
 */
export type RereadableFormat = { [K in InputFormat]: (typeof TABLE)[K]['rereadable'] extends true ? K : never }[InputFormat];

export function isRereadable(format: string | undefined): format is RereadableFormat {
  return format !== undefined && formatInfo(format).rereadable;
}
