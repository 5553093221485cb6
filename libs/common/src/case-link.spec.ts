import { caseLink } from './case-link';
import { idOf } from './global-id';

describe('caseLink', () => {
  const uuid = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';

  it('is the console case page under PUBLIC_URL, by the case global id', () => {
    const link = caseLink('https://resolve.example.org', uuid);
    const [, base, id] = /^(.*)\/escalations\/([^/]+)$/.exec(link)!;
    expect(base).toBe('https://resolve.example.org');
    expect(idOf(id, 'Escalation')).toBe(uuid);
  });

  it('does not double the slash when PUBLIC_URL ends with one', () => {
    expect(caseLink('https://resolve.example.org/', uuid)).toBe(
      caseLink('https://resolve.example.org', uuid),
    );
  });
});
