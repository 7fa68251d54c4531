import { describe, expect, it } from 'vitest';
import { encrypt, msgSignature } from '../../src/channels/wechat/crypto.js';
import { openKfCallback, openUrlVerification, type CallbackQuery, type CallbackSecrets } from '../../src/channels/wechat/open-callback.js';
import { buildKfCallback, buildUrlVerification } from '../fakes/wecom/callbacks.js';

const SECRETS: CallbackSecrets = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId: 'ww1234567890abcdef' };

function queryOf(text: string): CallbackQuery & { echostr: string | null } {
  const params = new URLSearchParams(text);
  return { msg_signature: params.get('msg_signature'), timestamp: params.get('timestamp'), nonce: params.get('nonce'), echostr: params.get('echostr') };
}

describe('openUrlVerification', () => {
  it('answers the official vector with its plaintext', () => {
    const query = queryOf(
      'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=' +
        encodeURIComponent('P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=='),
    );
    expect(openUrlVerification({ ...SECRETS, corpId: 'wx5823bf96d3bd56c7' }, query)).toEqual({ ok: true, value: '1616140317555161061' });
  });

  it('opens what the fake sends and refuses it under another token, another corp id or without a parameter', () => {
    const built = buildUrlVerification(SECRETS, { timestampS: 1767600000, echo: '42' });
    expect(openUrlVerification(SECRETS, queryOf(built.query))).toEqual({ ok: true, value: '42' });
    expect(openUrlVerification({ ...SECRETS, token: 'other' }, queryOf(built.query))).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(openUrlVerification({ ...SECRETS, corpId: 'wwOther' }, queryOf(built.query))).toMatchObject({ ok: false, code: 'wrong_receive_id' });
    for (const name of ['msg_signature', 'timestamp', 'nonce', 'echostr'] as const) {
      expect(openUrlVerification(SECRETS, { ...queryOf(built.query), [name]: null })).toMatchObject({ ok: false, code: 'missing_parameter' });
    }
  });
});

describe('openKfCallback', () => {
  const built = buildKfCallback(SECRETS, { openKfId: 'wkAccount', syncToken: 'ENCtoken', timestampS: 1767600000, nonce: '1372623149' });

  it('reads the notice the fake sends', () => {
    expect(openKfCallback(SECRETS, queryOf(built.query), built.body!)).toEqual({
      ok: true,
      value: { toUserName: SECRETS.corpId, createTime: 1767600000, token: 'ENCtoken', openKfId: 'wkAccount' },
    });
  });

  it('refuses a changed timestamp or nonce (bad_signature) before decrypting', () => {
    const query = queryOf(built.query);
    expect(openKfCallback(SECRETS, { ...query, timestamp: '1767600001' }, built.body!)).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(openKfCallback(SECRETS, { ...query, nonce: '1' }, built.body!)).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('refuses a body swapped for another ciphertext signed for the original (bad_signature)', () => {
    const other = buildKfCallback(SECRETS, { openKfId: 'wkAttacker', syncToken: 'x', timestampS: 1767600000 });
    expect(openKfCallback(SECRETS, queryOf(built.query), other.body!)).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('refuses evil XML before checking anything else', () => {
    const evil = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>';
    expect(openKfCallback(SECRETS, queryOf(built.query), evil)).toMatchObject({ ok: false, code: 'forbidden_markup' });
  });

  it('refuses a correctly signed notice that is not kf_msg_or_event (unexpected_event)', () => {
    const inner = `<xml><ToUserName><![CDATA[${SECRETS.corpId}]]></ToUserName><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_account_auth_change]]></Event></xml>`;
    const encrypted = encrypt(SECRETS.encodingAesKey, inner, SECRETS.corpId);
    const query = { msg_signature: msgSignature(SECRETS.token, '1', '2', encrypted), timestamp: '1', nonce: '2' };
    expect(openKfCallback(SECRETS, query, `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`)).toMatchObject({ ok: false, code: 'unexpected_event' });
  });
});
