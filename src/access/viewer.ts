/** Who is asking: anonymous, or a token with scopes. */
export interface Viewer {
  tokenName: string | null;
  scopes: ReadonlySet<string>;
  /** True where the request sent credentials that match no active token. */
  rejectedToken?: boolean;
}

export const anonymousViewer: Viewer = { tokenName: null, scopes: new Set() };
