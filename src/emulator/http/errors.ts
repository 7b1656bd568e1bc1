/** Responses and the error bodies of both API versions (v2: an array of `{status, message}`; v3: `{status, title, type, errors}`). */

/** API version of a request. */
export type Api = "v2" | "v3";

/** What a handler answers; the server adds the common headers and serializes `body` as JSON. */
export interface Reply {
  status: number;
  /** JSON value; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** The documentation link BigCommerce puts in `type`. */
export const STATUS_CODES_URL = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes";

/** An error response in the shape of the API version. */
export function errorReply(api: Api, status: number, message: string, extra: Record<string, unknown> = {}): Reply {
  if (api === "v2") return { status, body: [{ status, message, ...extra }] };
  const { errors, ...rest } = extra;
  return { status, body: { status, title: message, type: STATUS_CODES_URL, errors: errors ?? {}, ...rest } };
}

/** Status texts for the errors the emulator produces. */
export const MESSAGES: Record<number, string> = {
  400: "The request was malformed.",
  401: "No valid credentials were found in this request",
  403: "You don't have a required scope to access the endpoint",
  404: "The requested resource was not found.",
  405: "The requested method is not supported by this resource.",
  413: "The limit parameter exceeds the maximum allowed.",
  429: "You have exceeded your request quota. Please wait before retrying.",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
