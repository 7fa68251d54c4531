import { describe, expect, it } from 'vitest';
import { readEncryptedEnvelope, readKfMsgOrEvent, readXmlFields } from '../../src/channels/wechat/callback-xml.js';
import { decrypt, encrypt } from '../../src/channels/wechat/crypto.js';

const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const CORP_ID = 'ww1234567890abcdef';

// Shapes of developer.work.weixin.qq.com/document/path/94670 (callback) and 31078 (kf_msg_or_event).
const ENVELOPE = `<xml>
   <ToUserName><![CDATA[${CORP_ID}]]></ToUserName>
   <AgentID><![CDATA[1000002]]></AgentID>
   <Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zE==]]></Encrypt>
</xml>`;
const KF_EVENT = `<xml>
   <ToUserName><![CDATA[${CORP_ID}]]></ToUserName>
   <CreateTime>1348831860</CreateTime>
   <MsgType><![CDATA[event]]></MsgType>
   <Event><![CDATA[kf_msg_or_event]]></Event>
   <Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token>
   <OpenKfId><![CDATA[wkABCDEFGHIJKLMNOPQRSTUVWX]]></OpenKfId>
</xml>`;

describe('readEncryptedEnvelope', () => {
  it('reads the ciphertext, the corp id and the agent id of a callback body', () => {
    expect(readEncryptedEnvelope(ENVELOPE)).toEqual({
      ok: true,
      value: {
        toUserName: CORP_ID,
        agentId: '1000002',
        encrypt: 'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zE==',
      },
    });
  });

  it('accepts an XML declaration, plain-text fields and no whitespace at all', () => {
    const compact = `<?xml version="1.0" encoding="UTF-8"?><xml><ToUserName>${CORP_ID}</ToUserName><Encrypt>abc=</Encrypt></xml>`;
    expect(readEncryptedEnvelope(compact)).toEqual({ ok: true, value: { toUserName: CORP_ID, encrypt: 'abc=' } });
  });

  it('needs Encrypt', () => {
    expect(readEncryptedEnvelope(`<xml><ToUserName>${CORP_ID}</ToUserName></xml>`)).toEqual({
      ok: false,
      code: 'missing_field',
      field: 'Encrypt',
    });
    expect(readEncryptedEnvelope('<xml><Encrypt><![CDATA[]]></Encrypt></xml>')).toMatchObject({ ok: false, code: 'missing_field' });
  });
});

describe('readKfMsgOrEvent', () => {
  it('reads the token and the account of a kf_msg_or_event notice', () => {
    expect(readKfMsgOrEvent(KF_EVENT)).toEqual({
      ok: true,
      value: {
        toUserName: CORP_ID,
        createTime: 1348831860,
        token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR',
        openKfId: 'wkABCDEFGHIJKLMNOPQRSTUVWX',
      },
    });
  });

  it('reads a notice after an encrypt and decrypt round trip', () => {
    const opened = decrypt(KEY, encrypt(KEY, KF_EVENT, CORP_ID), CORP_ID);
    expect(opened.ok && readKfMsgOrEvent(opened.message)).toMatchObject({ ok: true, value: { openKfId: 'wkABCDEFGHIJKLMNOPQRSTUVWX' } });
  });

  it('names the missing field', () => {
    for (const field of ['Token', 'OpenKfId', 'ToUserName']) {
      const without = KF_EVENT.replace(new RegExp(`<${field}>.*</${field}>`), '');
      expect(readKfMsgOrEvent(without)).toEqual({ ok: false, code: 'missing_field', field });
    }
    expect(readKfMsgOrEvent(KF_EVENT.replace(/<Event>.*<\/Event>/, ''))).toEqual({ ok: false, code: 'missing_field', field: 'Event' });
  });

  it('refuses other notices: another event, or a plain app message such as the official vector', () => {
    expect(readKfMsgOrEvent(KF_EVENT.replace('kf_msg_or_event', 'kf_account_auth_change'))).toMatchObject({ ok: false, code: 'unexpected_event' });
    const appMessage = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><Event><![CDATA[x]]></Event></xml>`;
    expect(readKfMsgOrEvent(appMessage)).toMatchObject({ ok: false, code: 'unexpected_event' });
  });

  it('leaves out a CreateTime that is not a number instead of failing', () => {
    const result = readKfMsgOrEvent(KF_EVENT.replace('1348831860', 'soon'));
    expect(result.ok && result.value.createTime).toBeUndefined();
    expect(result.ok).toBe(true);
  });
});

describe('evil and malformed XML becomes a failure code, never an exception', () => {
  it.each([
    ['an entity declaration (billion laughs)', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><xml><Encrypt>&lol2;</Encrypt></xml>', 'forbidden_markup'],
    ['an external entity (XXE)', '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>', 'forbidden_markup'],
    ['a predefined entity in plain text', '<xml><Encrypt>a&amp;b</Encrypt></xml>', 'forbidden_markup'],
    ['a numeric character reference', '<xml><Encrypt>&#65;</Encrypt></xml>', 'forbidden_markup'],
    ['a comment', '<xml><!-- hi --><Encrypt>abc</Encrypt></xml>', 'forbidden_markup'],
    ['a processing instruction inside', '<xml><?php echo 1; ?><Encrypt>abc</Encrypt></xml>', 'forbidden_markup'],
    ['a nested element', '<xml><Encrypt><Inner>abc</Inner></Encrypt></xml>', 'nested_element'],
    ['deep nesting', `<xml><Encrypt>${'<a>'.repeat(10_000)}x${'</a>'.repeat(10_000)}</Encrypt></xml>`, 'nested_element'],
    ['a repeated field', '<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>', 'duplicate_field'],
    ['an attribute', '<xml><Encrypt type="x">abc</Encrypt></xml>', 'malformed'],
    ['a root other than xml', '<root><Encrypt>abc</Encrypt></root>', 'malformed'],
    ['an unclosed field', '<xml><Encrypt>abc</xml>', 'malformed'],
    ['a mismatched closing tag', '<xml><Encrypt>abc</Other></xml>', 'malformed'],
    ['text after a CDATA section', '<xml><Encrypt><![CDATA[abc]]>def</Encrypt></xml>', 'malformed'],
    ['text outside any field', '<xml>loose<Encrypt>abc</Encrypt></xml>', 'malformed'],
    ['trailing content after the root', '<xml><Encrypt>abc</Encrypt></xml><xml></xml>', 'malformed'],
    ['an unclosed CDATA section', '<xml><Encrypt><![CDATA[abc</Encrypt></xml>', 'malformed'],
    ['JSON', '{"Encrypt":"abc"}', 'malformed'],
    ['an empty body', '', 'malformed'],
    ['a huge body', `<xml><Encrypt>${'A'.repeat(1024 * 1024)}</Encrypt></xml>`, 'too_large'],
    ['too many fields', `<xml>${Array.from({ length: 40 }, (_, i) => `<F${i}>x</F${i}>`).join('')}</xml>`, 'too_large'],
  ])('%s', (_what, xml, code) => {
    const result = readEncryptedEnvelope(xml);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe(code);
  });

  it('reads a body of many unclosed CDATA openings in linear time', () => {
    const evil = `<xml><Encrypt>${'<![CDATA['.repeat(100_000)}</Encrypt></xml>`;
    const started = performance.now();
    expect(readEncryptedEnvelope(evil)).toMatchObject({ ok: false, code: 'malformed' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('keeps &, <! and <? inside CDATA as text', () => {
    expect(readXmlFields('<xml><Content><![CDATA[a & b <!-- c --> <?d?>]]></Content></xml>')).toEqual({
      ok: true,
      value: new Map([['Content', 'a & b <!-- c --> <?d?>']]),
    });
  });

  it('applies a smaller limit to the decrypted notice than to the body', () => {
    const padded = KF_EVENT.replace('</xml>', `<Extra>${'x'.repeat(70 * 1024)}</Extra></xml>`);
    expect(readKfMsgOrEvent(padded)).toMatchObject({ ok: false, code: 'too_large' });
    expect(readXmlFields(padded).ok).toBe(true);
  });

  it('never throws on random fragments of callback XML', () => {
    const pieces = ['<xml>', '</xml>', '<Encrypt>', '</Encrypt>', '<![CDATA[', ']]>', 'abc', '&', '<!', '<?', '<', '>', ' ', '"'];
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 500; i += 1) {
      const xml = Array.from({ length: next() % 12 }, () => pieces[next() % pieces.length]).join('');
      expect(() => readEncryptedEnvelope(xml)).not.toThrow();
      expect(() => readKfMsgOrEvent(xml)).not.toThrow();
    }
  });
});
