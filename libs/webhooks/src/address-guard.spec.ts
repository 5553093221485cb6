import type { LookupAddress } from 'node:dns';
import { forbiddenAddress, forbiddenHost } from './address-guard';
import { pinnedLookup, Resolve } from './jobs/guarded-post';

const strict = { allowLoopback: false };
const local = { allowLoopback: true };
/** The host of a URL as the registration and the delivery see it: WHATWG-parsed. */
const host = (url: string) => forbiddenHost(new URL(url).hostname, strict);

describe('webhook address guard', () => {
  // [url, class it is refused as]: every notation of every internal address class.
  const refused: [string, string][] = [
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://127.0.0.1./', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://017700000001/', 'loopback'],
    ['http://%31%32%37.0.0.1/', 'loopback'],
    ['http://127.255.255.254:8080/', 'loopback'],
    ['http://[::1]:5432/', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://localhost/', 'loopback'],
    ['http://LOCALHOST./', 'loopback'],
    ['http://api.localhost/', 'loopback'],
    ['http://a.b.localhost../', 'loopback'],
    ['http://10.0.0.1/', 'private'],
    ['http://012.0.0.1/', 'private'],
    ['http://167772161/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://0xc0.0xa8.1.1/', 'private'],
    ['http://[::ffff:10.0.0.1]/', 'private'],
    ['http://[::ffff:192.168.0.1]/', 'private'],
    ['http://[64:ff9b::10.0.0.1]/', 'private'],
    ['http://[64:ff9b::c0a8:101]/', 'private'],
    ['http://100.64.0.1/', 'carrierGradeNat'],
    ['http://100.127.255.254/', 'carrierGradeNat'],
    ['http://100.100.100.200/', 'carrierGradeNat'],
    ['http://169.254.169.254/', 'linkLocal'],
    ['http://2852039166/', 'linkLocal'],
    ['http://0xa9fea9fe/', 'linkLocal'],
    ['http://169.254.43518/', 'linkLocal'],
    ['http://[::ffff:169.254.169.254]/', 'linkLocal'],
    ['http://[::ffff:a9fe:a9fe]/', 'linkLocal'],
    ['http://[64:ff9b::169.254.169.254]/', 'linkLocal'],
    ['http://[fe80::1]/', 'linkLocal'],
    ['http://[fd00:ec2::254]/', 'uniqueLocal'],
    ['http://[fc00::1]/', 'uniqueLocal'],
    ['http://[fdff:ffff::1]/', 'uniqueLocal'],
    ['http://metadata.google.internal/', 'metadata'],
    ['http://Metadata.Google.Internal./', 'metadata'],
    ['http://metadata/', 'metadata'],
    ['http://instance-data/', 'metadata'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://0.1.2.3/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://239.255.255.250/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://4294967295/', 'broadcast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://192.0.0.192/', 'reserved'],
    ['http://192.0.2.1/', 'reserved'],
    ['http://198.18.0.1/', 'reserved'],
    ['http://203.0.113.9/', 'reserved'],
    ['http://[2001:db8::1]/', 'reserved'],
    ['http://168.63.129.16/', 'reserved'],
    ['http://[::127.0.0.1]/', 'reserved'],
    ['http://[::10.0.0.1]/', 'reserved'],
    ['http://[64:ff9b:1::a00:1]/', 'rfc6052'],
    ['http://[2002:7f00:1::]/', '6to4'],
    ['http://[2001:0:4136:e378::1]/', 'teredo'],
    ['http://[::ffff:0:7f00:1]/', 'rfc6145'],
  ];
  it.each(refused)('refuses %s (%s)', (url, why) => {
    expect(host(url)).toBe(why);
  });

  const allowed = [
    'https://hooks.agency.example/x',
    'https://93.184.215.14/',
    'http://8.8.8.8:8080/',
    'http://134744072/',
    'https://[2606:4700:4700::1111]/',
    'https://[::ffff:8.8.8.8]/',
    'https://[64:ff9b::8.8.8.8]/',
    'https://localhost.agency.example/',
    'https://172.32.0.1/',
    'https://100.128.0.1/',
  ];
  it.each(allowed)('allows %s', (url) => {
    expect(host(url)).toBeNull();
  });

  it('allows loopback, and only loopback, when the setting is on', () => {
    for (const url of ['http://127.0.0.1:1/', 'http://2130706433/', 'http://[::1]/', 'http://localhost/']) {
      expect(forbiddenHost(new URL(url).hostname, local)).toBeNull();
    }
    for (const [url, why] of refused.filter(([, w]) => w !== 'loopback')) {
      expect([url, forbiddenHost(new URL(url).hostname, local)]).toEqual([url, why]);
    }
  });

  it('classifies resolved addresses as given by the resolver', () => {
    expect(forbiddenAddress('10.1.2.3', strict)).toBe('private');
    expect(forbiddenAddress('fd00:ec2::254', strict)).toBe('uniqueLocal');
    expect(forbiddenAddress('::ffff:169.254.169.254', strict)).toBe('linkLocal');
    expect(forbiddenAddress('93.184.215.14', strict)).toBeNull();
    expect(forbiddenAddress('no.such', strict)).toBe('not an IP address');
  });
});

describe('pinned lookup of the delivery socket', () => {
  type Answer = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };
  const lookupWith = (resolve: Resolve, all: boolean) =>
    new Promise<Answer>((done) =>
      pinnedLookup(strict, resolve)('hooks.agency.example', { all }, (err, address, family) =>
        done({ err, address, family }),
      ),
    );
  const v4 = (address: string): LookupAddress => ({ address, family: 4 });

  it('resolves once per connection and hands the socket exactly what it checked, even when DNS rebinds', async () => {
    // First answer public, every later one private: a check that resolved apart from the connect would be fooled.
    const answers = [[v4('93.184.215.14')], [v4('10.0.0.1')], [v4('169.254.169.254')]];
    const asked: string[] = [];
    const rebinding: Resolve = (name) => {
      asked.push(name);
      return Promise.resolve(answers[asked.length - 1]);
    };
    const first = await lookupWith(rebinding, false);
    expect(first).toEqual({ err: null, address: '93.184.215.14', family: 4 });
    expect(asked).toEqual(['hooks.agency.example']);
    const second = await lookupWith(rebinding, true);
    expect(second.err?.code).toBe('EWEBHOOKADDRESS');
    expect(second.address).toBe('');
    const third = await lookupWith(rebinding, false);
    expect(third.err?.code).toBe('EWEBHOOKADDRESS');
    expect(asked).toHaveLength(3);
  });

  it('refuses a whole answer that holds any forbidden address, and a failed resolution alike', async () => {
    const mixed: Resolve = () =>
      Promise.resolve([v4('93.184.215.14'), { address: 'fd00:ec2::254', family: 6 }]);
    expect((await lookupWith(mixed, true)).err?.code).toBe('EWEBHOOKADDRESS');
    const none: Resolve = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    expect((await lookupWith(none, false)).err?.code).toBe('EWEBHOOKADDRESS');
    const both: Resolve = () =>
      Promise.resolve([v4('93.184.215.14'), { address: '2606:4700:4700::1111', family: 6 }]);
    expect(await lookupWith(both, true)).toEqual({
      err: null,
      address: [v4('93.184.215.14'), { address: '2606:4700:4700::1111', family: 6 }],
      family: undefined,
    });
  });
});
