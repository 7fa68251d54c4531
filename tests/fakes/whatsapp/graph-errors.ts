import { randomBytes } from 'node:crypto';

/**
 * Graph API error envelopes as the WhatsApp Cloud API returns them.
 *
 * Shape (Meta, "Error codes" page, developers.facebook.com/documentation/
 * business-messaging/whatsapp/support/error-codes, and the MM Lite support
 * page that repeats it):
 *   {error:{message, type, code, error_data:{messaging_product:'whatsapp',
 *   details}, error_subcode?, fbtrace_id}}
 * `message` is "(#<code>) <title>"; Meta says to branch on `code` and
 * `error_data.details`, not on the title or the HTTP status. `error_subcode`
 * is deprecated (absent from v16.0+ messaging errors, per the same page as
 * mirrored by help.verloop.io) but Graph-level errors such as "object does not
 * exist" still carry it. Auth errors carry no `error_data` (real 190 body
 * quoted in facebook/facebook-ios-sdk#2576).
 */
export interface GraphErrorEnvelope {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

/** One error answer: the HTTP status plus what goes in the envelope. */
export interface GraphErrorSpec {
  status: number;
  code: number;
  message: string;
  type?: string;
  subcode?: number;
  details?: string;
  /** Extra response headers (the 401 carries `WWW-Authenticate`). */
  headers?: Record<string, string>;
}

/** Builds the JSON body for `spec`, with a fresh random `fbtrace_id`. */
export function graphErrorBody(spec: GraphErrorSpec): GraphErrorEnvelope {
  return {
    error: {
      message: spec.message,
      type: spec.type ?? 'OAuthException',
      code: spec.code,
      ...(spec.subcode === undefined ? {} : { error_subcode: spec.subcode }),
      ...(spec.details === undefined
        ? {}
        : { error_data: { messaging_product: 'whatsapp' as const, details: spec.details } }),
      fbtrace_id: randomBytes(12).toString('base64url'),
    },
  };
}

const INVALID_TOKEN = 'Invalid OAuth access token - Cannot parse access token';

/**
 * Wrong or missing access token: HTTP 401, code 190, OAuthException, no
 * error_data, plus Graph's `WWW-Authenticate: OAuth "Facebook Platform" …`
 * header (format seen in voiceflow-community/example-integration-whatsapp#5).
 */
export function invalidTokenError(): GraphErrorSpec {
  return {
    status: 401,
    code: 190,
    message: INVALID_TOKEN,
    headers: { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${INVALID_TOKEN}"` },
  };
}

/**
 * A path id Graph does not know (wrong phone number id, unknown media id):
 * HTTP 400, code 100, subcode 33, GraphMethodException, with the text quoted in
 * voiceflow-community/example-integration-whatsapp#5.
 */
export function unknownObjectError(method: 'get' | 'post', id: string): GraphErrorSpec {
  return {
    status: 400,
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    message:
      `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to ` +
      'missing permissions, or does not support this operation. Please read the Graph API documentation ' +
      'at https://developers.facebook.com/docs/graph-api',
  };
}

/** A missing top-level parameter: "(#100) The parameter <name> is required." (HTTP 400). */
export function requiredParameterError(name: string): GraphErrorSpec {
  return { status: 400, code: 100, message: `(#100) The parameter ${name} is required.` };
}

/**
 * Any other invalid parameter: HTTP 400, code 100, "(#100) Invalid parameter"
 * with the reason in `error_data.details` (real bodies quoted in
 * shridarpatil/frappe_whatsapp#43 and Meta's MM Lite support page). The
 * `details` wording for each check is the fake's own.
 */
export function invalidParameterError(details: string): GraphErrorSpec {
  return { status: 400, code: 100, message: '(#100) Invalid parameter', details };
}

/**
 * Per-number throughput exceeded: code 130429, "(#130429) Rate limit hit",
 * details "Cloud API message throughput has been reached." (Meta's error-codes
 * page via heltar.com and dualhook.com). HTTP 400 per Meta's table as quoted by
 * heltar.com ("comes with a 400 Bad Request status").
 */
export function throughputError(status = 400): GraphErrorSpec {
  return {
    status,
    code: 130429,
    message: '(#130429) Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
  };
}

/**
 * Same recipient messaged too often: code 131056, "(#131056) (Business
 * Account, Consumer Account) pair rate limit hit" (wording quoted by turn.io
 * and docs.ycloud.com). The HTTP status is disputed: heltar.com quotes 400;
 * dualhook.com quotes 429 from Meta's current table, turn.io says Meta told
 * them to retry the 429s, and platform-facts.md §1 records "observed as HTTP
 * 429". The fake defaults to 429 and lets a test choose 400.
 */
export function pairRateError(status = 429): GraphErrorSpec {
  return {
    status,
    code: 131056,
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the ' +
      'same phone number in a short period of time.',
  };
}

/** Title and details of 131047 as they appear in failed-status webhooks (see below). */
export const RE_ENGAGEMENT = {
  code: 131047,
  title: 'Re-engagement message',
  details:
    'Message failed to send because more than 24 hours have passed since the customer last replied ' +
    'to this number.',
  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
} as const;

/**
 * The synchronous form of 131047 (HTTP 400), for `windowClosed: 'sync'`.
 * Meta says errors arrive "synchronously …, asynchronously via Webhook, or
 * sometimes through both"; dualhook.com describes 131047 as "usually an
 * immediate API error (HTTP 400)", while amio.io, enablex.io and
 * NousResearch/hermes-agent#80056 report a 200 + wamid followed by a
 * `failed` status webhook. The fake's default is the webhook form.
 */
export function reEngagementError(): GraphErrorSpec {
  return {
    status: 400,
    code: RE_ENGAGEMENT.code,
    message: `(#${RE_ENGAGEMENT.code}) ${RE_ENGAGEMENT.title}`,
    details: RE_ENGAGEMENT.details,
  };
}

/** A path Graph cannot route: HTTP 400, code 2500 "Unknown path components". */
export function unknownPathError(path: string): GraphErrorSpec {
  return { status: 400, code: 2500, message: `Unknown path components: ${path}` };
}
