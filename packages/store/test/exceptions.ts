// Differences between a real etcd 3.4.23 and tinykube-store that the conformance suite accepts ON PURPOSE.
// (Error texts are compared exactly, including the Go parser messages etcd returns for malformed bodies.)
// Each entry names the case (the `it` title) it applies to and why. Anything not listed here must match exactly
// (after the normalisation described in normalize.ts). Cases consult this table through exempt(), so an exception
// can only be applied where it is documented.
export interface DocumentedException {
  /** The `it` title of the case. */
  case: string;
  /** What is not compared. */
  what: string;
  reason: string;
}

export const DOCUMENTED_EXCEPTIONS: readonly DocumentedException[] = [
  {
    case: 'errors: unknown path',
    what: 'response body outside /v3/',
    reason: "for paths outside /v3/ etcd answers Go http.ServeMux's plain-text \"404 page not found\"; no client reads it, so only the 404 status is compared there (under /v3/ the gateway's \"Not Found\" body is compared)",
  },
  {
    case: 'watch: replays history from an old revision',
    what: 'how replayed events are split into answer lines',
    reason: 'etcd sends a catching-up watcher its backlog in as few lines as fit; a server may split it per revision. The flattened event list, and that one revision is never split across lines, are compared',
  },
  {
    case: 'watch: compacted start revision is canceled with compact_revision',
    what: 'whether the HTTP response ends after the canceled line',
    reason: 'the 3.4 gateway keeps the gRPC stream (and so the response) open after cancelling its only watcher; ending it is equally valid for a one-watch-per-request API',
  },
];

/** The documented exception for a case and aspect; throws if the suite tries to use an undocumented one. */
export function exempt(caseTitle: string, what: string): DocumentedException {
  const e = DOCUMENTED_EXCEPTIONS.find((x) => x.case === caseTitle && x.what === what);
  if (!e) throw new Error(`undocumented exception for "${caseTitle}" (${what}): add it to DOCUMENTED_EXCEPTIONS with a reason`);
  return e;
}
