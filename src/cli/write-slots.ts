/**
 * The memory the main thread and the writer thread share to hand blocks over (cli/threaded-write.ts,
 * cli/write-thread.ts): control words (the next block of the run to take; each slot busy or free) and the slots.
 */
import type { MessagePort } from 'node:worker_threads';

/** Int32 index of the next block to take (Atomics.add by either thread). */
export const CTRL_NEXT = 0;
/** Int32 index of the count of blocks the writer thread has sent (the main thread sleeps on it). */
export const CTRL_SENT = 1;
/** Int32 index of slot 0's state (0 free, 1 written by the writer thread, until the main thread has sent it). */
export const CTRL_SLOT = 2;

export interface WriterSetup {
  /** Where the writer thread posts its blocks (read without the event loop: receiveMessageOnPort). */
  port?: MessagePort;
  ctrl: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  slotBytes: number;
  slotCount: number;
}

export function writerSetup(slotCount: number, slotBytes: number): WriterSetup {
  return { ctrl: new SharedArrayBuffer(4 * (CTRL_SLOT + slotCount)), slots: new SharedArrayBuffer(slotCount * slotBytes), slotBytes, slotCount };
}
