/**
 * Newline-delimited JSON framing (Kubernetes watch streams, `kubectl get -w -o json`...): chunks may split a line
 * (or a UTF-8 character) anywhere and may carry several lines. The one splitter of the client and the test kit.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder();
  private buf = '';

  /** The complete, non-blank lines this chunk finishes (trimmed). */
  push(chunk: Uint8Array | string): string[] {
    this.buf += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: string[] = [];
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (line) out.push(line);
    }
    return out;
  }

  /** What is left once the stream ended (a last line without its newline), if anything. */
  end(): string | undefined {
    const rest = (this.buf + this.decoder.decode()).trim();
    this.buf = '';
    return rest || undefined;
  }
}
