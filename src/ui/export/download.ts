/** Saves bytes or text as a file: a Blob behind an object URL, clicked as a download. No network. */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by then; give slow disks time before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file-name-safe stem from free text ("10.0.0.1:443" -> "10.0.0.1_443"). */
export function fileStem(text: string): string {
  return text.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80) || 'teardown';
}

/**
 * The stem of files saved from the whole analysis, named after what was loaded ("web" for web.pcap, "inside_2" for
 * inside.pcap with two more), so two analyses saved one after the other do not get the same name.
 */
export function analysisStem(files: readonly string[]): string {
  if (!files.length) return 'teardown';
  const first = files[0].replace(/^.*[\\/]/, '').replace(/(\.(pcapng|pcap|cap|txt|log|gz|csv|json))+$/i, '');
  return fileStem(files.length > 1 ? `${first}+${files.length - 1}` : first);
}
