import fc from 'fast-check';
import { parseSmtpUrls, SmtpUrlError } from '../../src/domain/smtp-endpoints';

describe('parseSmtpUrls', () => {
  it('keeps the order given: primary first', () => {
    expect(parseSmtpUrls('smtp://mail-a:2525, smtps://user:pw@mail-b,smtp://mail-c')).toEqual([
      { url: 'smtp://mail-a:2525', label: 'mail-a:2525' },
      { url: 'smtps://user:pw@mail-b', label: 'mail-b:465' },
      { url: 'smtp://mail-c', label: 'mail-c:587' },
    ]);
  });

  it('means "log instead of send" when unset or blank', () => {
    expect(parseSmtpUrls(undefined)).toEqual([]);
    expect(parseSmtpUrls(' , ')).toEqual([]);
  });

  it('names every bad entry at once', () => {
    expect(() => parseSmtpUrls('http://mail:25,not a url,smtp://ok:25')).toThrow(
      new SmtpUrlError(['entry 1 must start with smtp:// or smtps://', 'entry 2 is not a URL']),
    );
  });

  it('never puts credentials in the label that reaches logs and records', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{4,12}$/),
        fc.stringMatching(/^[A-Za-z0-9]{8,16}$/),
        (user, password) => {
          const [endpoint] = parseSmtpUrls(`smtp://${user}:${password}@relay.example.com:587`);
          expect(endpoint?.label).toBe('relay.example.com:587');
        },
      ),
    );
  });
});
