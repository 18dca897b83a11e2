// Record batches (src/engine/record-batch.ts): every field of a firewall record (model/firewall-record.ts, listed from
// the class itself, so a field added there and not here fails) comes out of a batch as it went in, names as the
// store's ids of the same strings, connection ids given as names too; problems come out at their place among the
// records; names are interned in the store at the point of the stream where the decoder interned them.
import { describe, expect, it } from 'vitest';
import { FirewallRecord, REC_BUILT, REC_PACKET, REC_SKIP, REC_TEARDOWN, type FirewallRecordSink } from '../../src/model/firewall-record';
import { NONE, Names } from '../../src/model/firewall-store';
import { createProblemLog } from '../../src/model/problems';
import { RecordBatchReader, RecordBatchWriter, recordBuffers, type RecordBatch } from '../../src/engine/record-batch';

const ADDR_FIELDS = ['srcAddr', 'srcMapped', 'dstAddr', 'dstMapped'];
const dotted = (v: number) => (v === NONE ? null : `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`);
const NAME_FIELDS = ['device', 'messageId', 'srcIface', 'srcAddr', 'srcMapped', 'dstIface', 'dstAddr', 'dstMapped', 'reason', 'from', 'iface', 'acl', 'reasonSpelling'];

function randomRecord(rnd: () => number, names: Names, i: number): FirewallRecord {
  const r = new FirewallRecord();
  const rec = r as unknown as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    const v = rec[k];
    if (k === 'input') continue;
    if (typeof v === 'boolean') rec[k] = rnd() < 0.5;
    else if (NAME_FIELDS.includes(k)) rec[k] = rnd() < 0.2 ? NONE : names.id(rnd() < 0.5 ? `10.0.${i % 7}.${Math.floor(rnd() * 9)}` : `name-${Math.floor(rnd() * 50)}`);
    else rec[k] = Math.floor(rnd() * 1000) - 1;
  }
  r.addrCodes = false;
  if (i % 5 === 2) {
    // Addresses as IPv4 values (a fast path for a sink with addressCodes): a mapped one absent where its port is -1.
    r.addrCodes = true;
    const code = () => ((172 << 24) | (16 << 16) | (Math.floor(rnd() * 4) << 8) | Math.floor(rnd() * 256)) >>> 0;
    r.srcAddr = code();
    r.dstAddr = code();
    r.srcMappedPort = rnd() < 0.3 ? -1 : r.srcMappedPort;
    r.srcMapped = r.srcMappedPort < 0 ? NONE : rnd() < 0.5 ? r.srcAddr : code();
    r.dstMappedPort = rnd() < 0.3 ? -1 : r.dstMappedPort;
    r.dstMapped = r.dstMappedPort < 0 ? NONE : code();
  }
  r.kind = [REC_BUILT, REC_TEARDOWN, REC_PACKET][i % 3];
  r.rowKind = i % 4;
  r.direction = i % 3;
  r.initiator = i % 3;
  r.timeUs = 1.5e15 + i * 1234.5;
  r.precisionUs = i % 2 ? 1e6 : NaN;
  r.connId = i % 5 === 0 ? -(names.id(`conn-${i}`) + 1) : i % 5 === 1 ? NaN : 2 ** 40 + i;
  r.bytes = 2 ** 41 + i;
  r.durationS = i / 3;
  r.repeat = 2 ** 33 + i;
  return r;
}

function rng(seed: number): () => number {
  let a = seed;
  return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('record batches', () => {
  it('carry every field of a record, names as the store ids of the same strings, and problems in place', () => {
    const rnd = rng(9);
    const local = new Names();
    local.id('taken first by the decoder');
    // Small buffers: the writer grows them.
    const writer = new RecordBatchWriter(recordBuffers(4), local);
    const sent: FirewallRecord[] = [];
    const key = new Int32Array(2);
    for (let i = 0; i < 300; i++) {
      const r = randomRecord(rnd, local, i);
      sent.push(Object.assign(new FirewallRecord(), r));
      key[0] = i;
      key[1] = -i - 1;
      writer.add(r, i % 4 === 0 ? key : null);
      if (i === 7) writer.problem(false, 'a warning', { line: 7 });
      if (i === 8) writer.problem(true, 'an error', { offset: 99 });
    }
    const skip = new FirewallRecord();
    skip.kind = REC_SKIP;
    skip.timeUs = 42;
    writer.add(skip, null);
    local.id('interned after the last record');

    const store = new Names();
    store.id('the store had this one');
    const got: { r: FirewallRecord; key?: [number, number]; problems: number }[] = [];
    const problems = createProblemLog('f');
    const sink: FirewallRecordSink = {
      names: store,
      addRecord: (r) => void got.push({ r: Object.assign(new FirewallRecord(), r), problems: problems.warnings.length + problems.errors.length }),
      addKeyedRecord: (r, k1, k2) => void got.push({ r: Object.assign(new FirewallRecord(), r), key: [k1, k2], problems: problems.warnings.length + problems.errors.length }),
    };
    const reader = new RecordBatchReader(3, sink, problems);
    const batch: RecordBatch = { ...writer.buffers, count: writer.count, names: [...local.list], problems: writer.problems, bytesRead: 0 };
    reader.read(batch);
    reader.finish();

    expect(got.length).toBe(301);
    const text = (names: Names, v: number) => (v === NONE ? null : names.list[v]);
    for (let i = 0; i < 300; i++) {
      const a = sent[i] as unknown as Record<string, unknown>;
      const b = got[i].r as unknown as Record<string, unknown>;
      for (const k of Object.keys(a)) {
        if (k === 'input') expect(b[k]).toBe(3);
        else if (k === 'addrCodes') expect(b[k]).toBe(false);
        else if (a.addrCodes && ADDR_FIELDS.includes(k)) expect(text(store, b[k] as number), k).toBe(dotted(a[k] as number));
        else if (NAME_FIELDS.includes(k)) expect(text(store, b[k] as number), k).toBe(text(local, a[k] as number));
        else if (k === 'connId' && (a[k] as number) < 0) expect(store.list[-(b[k] as number) - 1]).toBe(local.list[-(a[k] as number) - 1]);
        else expect(b[k], k).toEqual(a[k]);
      }
      expect(got[i].key).toEqual(i % 4 === 0 ? [i, -i - 1] : undefined);
      expect(got[i].problems).toBe(i <= 7 ? 0 : i === 8 ? 1 : 2);
    }
    expect(got[300].r.kind).toBe(REC_SKIP);
    expect(got[300].r.timeUs).toBe(42);
    expect(problems.warnings).toEqual([{ file: 'f', line: 7, message: 'a warning' }]);
    expect(problems.errors).toEqual([{ file: 'f', offset: 99, message: 'an error' }]);
    // Every name of the decoder in the store, in the decoder's order, after the store's own; the addresses given as
    // values too, in the order the records give them.
    const coded: string[] = [];
    for (const r of sent) if (r.addrCodes) for (const k of ADDR_FIELDS) coded.push(dotted((r as unknown as Record<string, number>)[k])!);
    const codedOnly = (s: string) => s.startsWith('172.16.');
    expect(store.list.filter((s) => !codedOnly(s))).toEqual(['the store had this one', ...local.list]);
    expect(store.list.filter(codedOnly)).toEqual([...new Set(coded.filter((s) => s !== null))]);
    expect(sent.filter((r) => r.addrCodes).length).toBe(60);
  });

  it('ask the store to read ahead for the Built and Teardown lines of the entries to come (their device as the store has it)', () => {
    const local = new Names();
    const dev = local.id('fw-a');
    const writer = new RecordBatchWriter(recordBuffers(128), local);
    for (let i = 0; i < 100; i++) {
      const r = new FirewallRecord();
      r.kind = i % 3 === 2 ? REC_PACKET : i % 3 === 1 ? REC_TEARDOWN : REC_BUILT;
      r.device = dev;
      r.timeUs = 1e15 + i;
      r.connId = i % 10 === 9 ? NaN : 1000 + i;
      writer.add(r, null);
    }
    const store = new Names();
    store.id('the store had this one');
    const added: number[] = [];
    const peeked = new Map<number, { device: number; before: number }>();
    const sink: FirewallRecordSink = {
      names: store,
      addRecord: (r) => void added.push(r.connId),
      peekConnection: (device, connId) => {
        peeked.set(connId, { device, before: added.length });
        return 0;
      },
    };
    const reader = new RecordBatchReader(0, sink, createProblemLog('f'));
    reader.read({ ...writer.buffers, count: writer.count, names: [...local.list], problems: [], bytesRead: 0 });
    expect(added.length).toBe(100);
    // The first entries come before the device is interned; after that every Built and Teardown with an ID, with the
    // store's id of its device, before it is added.
    for (let i = 32; i < 100; i++) {
      const id = 1000 + i;
      if (i % 3 === 2 || i % 10 === 9) expect(peeked.has(id), `entry ${i}`).toBe(false);
      else {
        expect(peeked.get(id), `entry ${i}`).toEqual({ device: store.id('fw-a'), before: i - (i % 32) });
      }
    }
  });
});
