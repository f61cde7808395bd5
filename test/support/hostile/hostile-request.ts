/** One request as the fuzz test sends it, whole, so that a failure names it exactly. */
export interface HostileRequest {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  /** Without `authorization` the admin key is sent; `authorization: ''` sends none. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Written byte for byte on a socket, for what fetch will not send. */
  readonly raw?: boolean;
  /** The statuses allowed; otherwise any 4xx (a write) or anything below 500 (a read). */
  readonly expect?: readonly number[];
}
