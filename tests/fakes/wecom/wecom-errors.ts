/**
 * WeCom's error answers: always HTTP 200 with `{errcode, errmsg}`
 * (platform-facts.md §2; codes and meanings from the global errcode page,
 * developer.work.weixin.qq.com/document/path/90313, via go-workwx
 * `errcodes/mod.go`). Real errmsg texts add a hint id and a link; the bot must
 * decide on `errcode` only, so the fake keeps the shape and a short meaning.
 */
export const ERRMSG: Readonly<Record<number, string>> = {
  0: 'ok',
  40001: 'invalid credential (corpsecret)',
  40004: 'invalid media type',
  40005: 'invalid type',
  40006: 'invalid file size',
  40007: 'invalid media_id',
  40008: 'invalid msgtype',
  40009: 'invalid image size',
  40011: 'invalid video size',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40058: 'invalid parameter',
  40096: 'invalid external userid',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  41006: 'media_id missing',
  41050: 'invalid event code',
  42001: 'access_token expired',
  44001: 'empty media data',
  44004: 'text content is empty',
  45002: 'content size out of limit',
  45009: 'api freq out of limit',
  47001: 'data format error',
  95000: 'invalid open_kfid',
  95001: 'send msg count limit',
  95002: 'send msg time limit (48 hours)',
  95007: 'invalid msg token',
  95013: 'session has ended',
  95014: 'not a servicer',
  95016: 'service state transition not allowed',
  95018: 'service state does not allow sending',
};

/** The body of an error answer, in WeCom's format (`more info at …?e=<code>`). */
export function errorBody(errcode: number): { errcode: number; errmsg: string } {
  const meaning = ERRMSG[errcode] ?? 'error';
  return { errcode, errmsg: `${meaning}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}` };
}
