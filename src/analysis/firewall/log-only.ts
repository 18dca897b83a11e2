/**
 * The reports of the connections only the firewall log has (source "syslog"), read straight from the firewall
 * columns when asked for, declared once as members (lib/members.ts): their FirewallFacts from facts.ts
 * firewallMembers (as for connections matched to packets), the rest here. The page reads the objects (`at`);
 * `analyze --json`/`--ndjson` writes the same members as JSON bytes (`write`) for millions of rows without making
 * the objects; a field is added here (or in firewallMembers) and nowhere else, in the order it is written.
 * The explanation's wording is explain.ts's alone.
 */
import type { ConnectionReport, FirewallFacts } from '../../model/report';
import { NONE, protoName } from '../../model/firewall-store';
import { memberObject, type Member } from '../../lib/members';
import { memberCode, memberObjectCode } from '../../lib/member-code';
import { pairId } from '../../lib/member-bytes';
import { JoinedText, utf8, type JsonBytes } from '../../lib/json-bytes';
import { phraseText, type Phrase } from '../../lib/phrase';
import { IsoBytes } from '../../model/iso-bytes';
import { explainDenies, explainFirewallHead, type DenyTiming, type ExplainedDeny, type ExplainedFacts, type ExplainedReport } from './explain';
import { firewallMembers, ipPhraseValue, ipv4Bytes, isoOr, listedDenies, senderAt, unlistedDenies } from './facts';
import { connectionAt, denyGistAt, teardownGistAt } from './materialize';
import type { FirewallJoin } from './join';
import type { FirewallLog } from './log';

/** The members of FirewallFacts an explanation reads (explain.ts ExplainedFacts). */
const EXPLAINED_FACTS: readonly string[] = ['mapped', 'duration', 'bytes', 'deniesNotListed'] satisfies (keyof ExplainedFacts)[];
/** The members of a listed deny an explanation reads (explain.ts ExplainedDeny) but its endpoints (explainedDeny). */
const EXPLAINED_DENY: readonly string[] = ['flags', 'interface', 'afterTeardownMs'] satisfies (keyof ExplainedDeny)[];

export const ID_PREFIX = 'syslog-';
/** `"syslog-`: a report id's JSON text before its number. */
const ID_OPEN = utf8(`"${ID_PREFIX}`);

/** The id of log-only connection k: its report's, its table row's and the one a joined deny names. */
export function logOnlyId(k: number): string {
  return `${ID_PREFIX}${k}`;
}

/** logOnlyId(k)'s JSON text written into w; true. */
export function logOnlyIdBytes(w: JsonBytes, k: number): true {
  w.raw(ID_OPEN);
  w.num(k);
  w.byte(34);
  return true;
}

/** The log-only connections, each report built when read (ids syslog-0, syslog-1, ... in log order). */
export class LogOnlyConnections implements Iterable<ConnectionReport> {
  /**
   * A report's members but its explanation, read from the columns by row (`k` set for the report being read), which
   * `at` then completes (the explanation is its last member).
   */
  private readonly unexplained: Member<ConnectionReport>[];
  /**
   * Of those, the ones an explanation reads (explain.ts ExplainedReport, ExplainedFacts): what the writer makes for
   * a row's explanation instead of its whole report (a deny-joined connection's explanation is its own).
   */
  private readonly explainedFrom: Member<ConnectionReport>[];
  /** The same with the explanation, for the text. */
  private readonly members: Member<ConnectionReport>[];
  /**
   * The first sentences of explanations (explain.ts explainFirewallHead, brief), and their index there by what they
   * depend on (explanationKey): the teardown, its reason and interface, and the two sides' interfaces. Few distinct
   * ones in a log of millions; the whole explanation of a connection with no denies joined.
   */
  private readonly heads: string[] = [];
  private readonly headOf = new Map<number | string, number>();
  /** Explanations written as JSON, each first sentence's and phrase's bytes kept once. */
  private readonly sentences = new JoinedText((k) => this.heads[k]);
  private k = 0;
  private byteWriter: ((w: JsonBytes, i: number, head: Uint8Array) => void) | null = null;
  /** Row i's object of `explainedFrom` (made when first needed). */
  private explainedObject: ((i: number) => ConnectionReport) | null = null;
  /** Row i's listed deny k as the object of the members an explanation reads (EXPLAINED_DENY). */
  private readonly explainedDeny: (i: number, k: number) => ExplainedDeny;

  constructor(
    readonly log: FirewallLog,
    readonly join: FirewallJoin,
    /** Connection rows of the log-only connections, in order. */
    readonly rows: Int32Array,
  ) {
    const facts = firewallMembers(log, join);
    this.unexplained = this.reportMembers(facts);
    this.explainedFrom = this.unexplained
      .filter((m) => m.name === 'client' || m.name === 'server' || m.name === 'firewall')
      .map((m) => (m.name === 'firewall' && 'members' in m ? { ...m, members: m.members.filter((f) => EXPLAINED_FACTS.includes(f.name)) } : m));
    const denies = facts.find((m) => m.name === 'denies');
    if (!denies || !('items' in denies)) throw new Error('FirewallFacts without its list of denies');
    const explainedFacts = memberObjectCode(denies.members.filter((m) => EXPLAINED_DENY.includes(m.name))) as (i: number, k: number) => ExplainedDeny;
    const x = log.denies;
    // Its endpoints (the listed deny's src and dst: facts.ts denyFactsMembers) with their addresses as IPv4 values
    // where they have one: no address string read per deny.
    this.explainedDeny = (i, k) => {
      const d = join.connDenyList[join.connDenyStart[i] + k];
      const f = explainedFacts(i, k);
      f.src = { ip: ipPhraseValue(log, x.srcAddr[d]), port: x.srcPort[d] };
      f.dst = { ip: ipPhraseValue(log, x.dstAddr[d]), port: x.dstPort[d] };
      return f;
    };
    this.members = this.reportMembers([
      ...facts,
      {
        name: 'explanation',
        read: (i) => this.explanation(i),
        id: (i) => (this.hasDenies(i) ? undefined : this.explanationKey(i)),
        bytes: (w, i) => {
          this.sentences.write(w, this.explanationParts(i));
          return true;
        },
      },
    ]);
  }

  get length(): number {
    return this.rows.length;
  }

  at(k: number): ConnectionReport | undefined {
    if (!Number.isInteger(k) || k < 0 || k >= this.rows.length) return undefined;
    this.k = k;
    const i = this.rows[k];
    const r = memberObject(this.unexplained, i);
    r.firewall!.explanation = this.explanation(i, r);
    return r;
  }

  /**
   * Report k as JSON (what JSON.stringify gives for `at(k)`) written as bytes into `w`, opening with `head` instead
   * of `{`; false for a k that is not one. For the millions of records of `analyze --json`/`--ndjson`: no string per record.
   */
  write(w: JsonBytes, k: number, head: Uint8Array): boolean {
    if (!Number.isInteger(k) || k < 0 || k >= this.rows.length) return false;
    this.k = k;
    this.byteWriter ??= memberCode(this.members);
    this.byteWriter(w, this.rows[k], head);
    return true;
  }

  *[Symbol.iterator](): Iterator<ConnectionReport> {
    for (let k = 0; k < this.rows.length; k++) yield this.at(k)!;
  }

  toArray(): ConnectionReport[] {
    return [...this];
  }

  private hasDenies(i: number): boolean {
    return this.join.connDenyStart[i + 1] > this.join.connDenyStart[i];
  }

  private reportMembers(facts: Member<FirewallFacts>[]): Member<ConnectionReport>[] {
    const { log } = this;
    const c = log.conns;
    const names = log.names;
    const start = new IsoBytes();
    const end = new IsoBytes();
    const endpoint = (client: boolean): Member[] => [
      {
        name: 'ip',
        read: (i) => names.list[log.normId(client ? c.cAddr[i] : c.sAddr[i])],
        bytes: (w, i) => ipv4Bytes(w, names, client ? c.cAddr[i] : c.sAddr[i]),
      },
      { name: 'port', read: (i) => (client ? c.cPort[i] : c.sPort[i]) },
    ];
    return [
      {
        name: 'id',
        read: () => logOnlyId(this.k),
        bytes: (w) => logOnlyIdBytes(w, this.k),
      },
      {
        name: 'files',
        read: (i) => {
          const b = c.seen[i] & 1 ? log.files[c.builtInput[i]] : undefined;
          const t = c.seen[i] & 2 ? log.files[c.tdInput[i]] : undefined;
          return b ? (t && t !== b ? [b, t] : [b]) : t ? [t] : [];
        },
        id: (i) => pairId(c.seen[i] & 1 ? c.builtInput[i] + 1 : 0, c.seen[i] & 2 ? c.tdInput[i] + 1 : 0, 2 ** 24),
      },
      { name: 'source', read: () => 'syslog', fixed: true },
      {
        name: 'protocol',
        read: (i) => {
          const p = protoName(c.proto[i]);
          return p !== 'tcp' ? p : undefined;
        },
        id: (i) => c.proto[i],
      },
      { name: 'client', present: () => true, members: endpoint(true) },
      { name: 'server', present: () => true, members: endpoint(false) },
      { name: 'clientBy', read: (i) => (c.byPort[i] ? 'port-heuristic' : 'syslog-direction'), id: (i) => c.byPort[i] },
      { name: 'start', read: (i) => isoOr(c.startUs[i]) ?? '', bytes: (w, i) => start.write(w, c.startUs[i]) },
      { name: 'end', read: (i) => isoOr(c.endUs[i]) ?? '', bytes: (w, i) => end.write(w, c.endUs[i]) },
      { name: 'packets', present: () => true, members: [{ name: 'client', read: () => 0 }, { name: 'server', read: () => 0 }], fixed: true },
      { name: 'payloadBytes', present: () => true, members: [{ name: 'client', read: () => 0 }, { name: 'server', read: () => 0 }], fixed: true },
      { name: 'handshake', read: () => 'none', fixed: true },
      { name: 'firewall', present: () => true, members: facts },
    ];
  }

  /**
   * What the (brief) explanation of row i with no denies joined depends on: the teardown, its reason and interface,
   * and the two sides' interfaces; as one number when each id fits in 12 bits (no text per row), else as text.
   */
  private explanationKey(i: number): number | string {
    const c = this.log.conns;
    const reason = c.tdReason[i];
    const from = c.tdFrom[i];
    const ci = c.cIface[i];
    const si = c.sIface[i];
    const td = (c.seen[i] & 2) >> 1;
    // In 29 bits (a small integer, not a heap number) when each id is below 127, the usual case.
    if ((reason < 127 || reason === NONE) && (from < 127 || from === NONE) && (ci < 127 || ci === NONE) && (si < 127 || si === NONE)) {
      const d7 = (x: number) => (x === NONE ? 127 : x);
      return (((td * 128 + d7(reason)) * 128 + d7(from)) * 128 + d7(ci)) * 128 + d7(si);
    }
    const d12 = (x: number) => (x === NONE ? 4095 : x);
    return (reason < 4095 || reason === NONE) && (from < 4095 || from === NONE) && (ci < 4095 || ci === NONE) && (si < 4095 || si === NONE)
      ? 2 ** 29 + ((((td * 4096 + d12(reason)) * 4096 + d12(from)) * 4096 + d12(ci)) * 4096 + d12(si))
      : `${td},${reason},${from},${ci},${si}`;
  }

  /**
   * Row i's explanation (explain.ts words it): its first sentence, made once per explanationKey from its report
   * without an explanation (`unexplained`; when not given, only the members it reads, `explainedFrom`), then what
   * its joined denies say, read from the columns.
   */
  private explanation(i: number, unexplained?: ConnectionReport): string {
    const parts = this.explanationParts(i, unexplained);
    return parts.length === 1 ? this.heads[parts[0] as number] : parts.map((p) => (typeof p === 'number' ? this.heads[p] : phraseText(p))).join(' ');
  }

  /** explanation(i)'s parts (a number: the index of a first sentence in `heads`). */
  private explanationParts(i: number, unexplained?: ConnectionReport): (number | string | Phrase)[] {
    const { log, join } = this;
    const key = this.explanationKey(i);
    let head = this.headOf.get(key);
    if (head === undefined) {
      const r: ExplainedReport & Pick<ConnectionReport, 'firewall'> = unexplained ?? (this.explainedObject ??= memberObjectCode(this.explainedFrom))(i);
      head = this.heads.push(explainFirewallHead(connectionAt(log, i), r.firewall!, r, true)) - 1;
      this.headOf.set(key, head);
    }
    const parts: (number | string | Phrase)[] = [head];
    const listed = listedDenies(join, i);
    if (listed === 0) return parts;
    const c = log.conns;
    const from = join.connDenyStart[i];
    const timings: DenyTiming[] = [];
    for (let k = 0; k < listed; k++) {
      const d = join.connDenyList[from + k];
      timings.push({ deny: denyGistAt(log, d), denyFacts: this.explainedDeny(i, k), sender: senderAt(log, i, d), cls: join.denyClass[d], packet: null });
    }
    const prec = c.seen[i] & 2 ? c.tdPrec[i] : c.seen[i] & 1 ? c.builtPrec[i] : 1e6;
    explainDenies(teardownGistAt(log, i), prec, unlistedDenies(join, i) || undefined, timings, parts);
    return parts;
  }
}
