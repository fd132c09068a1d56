import fc from 'fast-check';
import {
  classifySmtpFailure,
  providerMessageId,
  sendWithFailover,
  type Transport,
} from '../../src/domain/failover';

function smtpError(message: string, fields: { code?: string; responseCode?: number } = {}) {
  return Object.assign(new Error(message), fields);
}

const accepting = (
  label: string,
  response = '250 2.0.0 Ok: queued as ABC123',
): Transport<string> & { sent: string[] } => {
  const sent: string[] = [];
  return { label, sent, send: async (m) => (sent.push(m), { response, messageId: '<id@midas>' }) };
};
const refusing = (label: string, err: Error): Transport<string> => ({
  label,
  send: async () => Promise.reject(err),
});

describe('sendWithFailover', () => {
  it('delivers through the primary when it accepts, and never touches the others', async () => {
    const primary = accepting('primary:25');
    const secondary = accepting('secondary:25');
    const result = await sendWithFailover([primary, secondary], 'hello');
    expect(result).toEqual({ ok: true, transport: 'primary:25', providerMessageId: 'ABC123', failures: [] });
    expect(secondary.sent).toEqual([]);
  });

  it('falls over to the next transport when one is down, and keeps what went wrong', async () => {
    const secondary = accepting('secondary:25');
    const result = await sendWithFailover(
      [refusing('primary:25', smtpError('connect ECONNREFUSED', { code: 'ESOCKET' })), secondary],
      'hello',
    );
    expect(result.ok && result.transport).toBe('secondary:25');
    expect(result.failures).toEqual([
      { transport: 'primary:25', kind: 'transient', error: 'connect ECONNREFUSED' },
    ]);
    expect(secondary.sent).toEqual(['hello']);
  });

  it('tries transports strictly in order and stops at the first that accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), async (accepts) => {
        const tried: number[] = [];
        const transports = accepts.map((ok, i): Transport<string> => ({
          label: `t${i}`,
          send: async () => {
            tried.push(i);
            if (!ok) throw smtpError('down', { code: 'ECONNECTION' });
            return { response: '250 ok', messageId: `<m${i}>` };
          },
        }));
        const result = await sendWithFailover(transports, 'x');
        const first = accepts.indexOf(true);
        expect(tried).toEqual(Array.from({ length: first === -1 ? accepts.length : first + 1 }, (_, i) => i));
        expect(result.ok).toBe(first !== -1);
        expect(result.failures).toHaveLength(first === -1 ? accepts.length : first);
      }),
    );
  });

  it('calls the failure permanent only when every transport refused the message itself', async () => {
    const rejected = smtpError('550 5.1.1 no such user', { code: 'EENVELOPE', responseCode: 550 });
    const down = smtpError('timeout', { code: 'ETIMEDOUT' });
    expect(await sendWithFailover([refusing('a', rejected), refusing('b', rejected)], 'x')).toMatchObject({
      ok: false,
      permanent: true,
    });
    expect(await sendWithFailover([refusing('a', rejected), refusing('b', down)], 'x')).toMatchObject({
      ok: false,
      permanent: false,
    });
    expect(await sendWithFailover([], 'x')).toMatchObject({ ok: false, permanent: false });
  });
});

describe('classifySmtpFailure', () => {
  it('treats busy servers, lost connections and refused logins as worth another try', () => {
    expect(classifySmtpFailure({ code: 'EENVELOPE', responseCode: 451 })).toBe('transient');
    expect(classifySmtpFailure({ code: 'ECONNECTION' })).toBe('transient');
    expect(classifySmtpFailure({ code: 'EAUTH', responseCode: 535 })).toBe('transient');
    expect(classifySmtpFailure({ code: 'EMESSAGE', responseCode: 552 })).toBe('permanent');
  });
});

describe('providerMessageId', () => {
  it("reads the server's queue id from its answer, else keeps our Message-ID", () => {
    expect(providerMessageId({ response: '250 2.0.0 Ok: queued as 4F3A2B1C', messageId: '<x@y>' })).toBe(
      '4F3A2B1C',
    );
    expect(providerMessageId({ response: '250 Ok id=0100018c-abc', messageId: '<x@y>' })).toBe(
      '0100018c-abc',
    );
    expect(providerMessageId({ response: '250 Accepted', messageId: '<x@y>' })).toBe('<x@y>');
  });
});
