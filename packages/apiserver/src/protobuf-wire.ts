/** Protobuf wire-format reading (varints, length-delimited fields), just what the k8s envelope needs. */

/** A minimal protobuf wire reader: varints, length-delimited fields, fixed32/64 skipped. */
export class ProtoReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  done(): boolean { return this.pos >= this.buf.length; }
  varint(): number {
    let result = 0; let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      // beyond 2^53 precision is lost; Kubernetes' int64 fields we decode are small
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }
  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    switch (wireType) {
      case 0: this.varint(); return;
      case 1: this.pos += 8; return;
      case 2: this.bytes(); return;
      case 5: this.pos += 4; return;
      default: throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  /** Reads a tag; returns [fieldNumber, wireType]. */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }
}
