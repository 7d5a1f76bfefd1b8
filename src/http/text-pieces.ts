/**
 * Text kept as the pieces it is made of (a page of ListUsers: 100 remembered
 * user texts and the commas between them), with their total length in UTF-16
 * code units.
 *
 * Joining such pieces with `+` makes a rope that V8 must copy flat before it
 * can count its bytes or encode it: 32 kB a page, allocated and copied twice
 * over per request. Kept as pieces, a large answer is encoded straight into a
 * reused buffer (see send-text.ts) and a small one is joined once.
 */
export class TextPieces {
  readonly pieces: string[] = [];
  /** Total length of the pieces, in UTF-16 code units (String#length). */
  length = 0;

  add(text: string): void {
    this.pieces.push(text);
    this.length += text.length;
  }

  /** A point to return to with `truncate`. */
  get mark(): number {
    return this.pieces.length;
  }

  /** Drops every piece added since `mark`. */
  truncate(mark: number): void {
    while (this.pieces.length > mark) this.length -= this.pieces.pop()!.length;
  }

  toString(): string {
    return this.pieces.join('');
  }

  /**
   * Writes the pieces as UTF-8 into `target` from `offset`; returns the bytes
   * written. `target` must have 3 bytes per code unit free (UTF-8's most for
   * one UTF-16 code unit), so nothing is ever cut short.
   */
  encodeInto(target: Buffer, offset = 0): number {
    let at = offset;
    for (const piece of this.pieces) {
      // Separators and brackets: one ASCII character is one byte, and a native call costs more than it.
      if (piece.length === 1 && piece.charCodeAt(0) < 0x80) target[at++] = piece.charCodeAt(0);
      else at += target.write(piece, at, 'utf8');
    }
    return at - offset;
  }
}
