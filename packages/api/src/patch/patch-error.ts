// One error type for all three patch formats. `status` is what the apiserver answers:
// 400 BadRequest for a malformed patch document, 422 Invalid when a well-formed patch
// cannot be applied to this object (a JSON patch path that does not exist, a failed test).

export type PatchErrorCode =
  /** The patch body is not the JSON shape its content type requires. */
  | 'BadPatchDocument'
  /** A JSON patch operation is malformed (unknown op, missing path/value/from, bad pointer). */
  | 'BadOperation'
  /** A JSON patch path or from does not exist in the document. */
  | 'PathNotFound'
  /** A JSON patch array index is out of range or not a number. */
  | 'BadIndex'
  /** A JSON patch test operation did not match. */
  | 'TestFailed'
  /** A strategic merge patch directive or list is malformed. */
  | 'BadStrategicPatch'
  /** A strategic merge patch contradicts itself or the object ($retainKeys, lists of lists). */
  | 'StrategicPatchConflict';

export class PatchError extends Error {
  override readonly name = 'PatchError';
  constructor(
    readonly code: PatchErrorCode,
    message: string,
    readonly status: 400 | 422 = code === 'BadPatchDocument' || code === 'BadStrategicPatch' ? 400 : 422,
  ) {
    super(message);
  }
}
