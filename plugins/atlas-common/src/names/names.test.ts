import {
  maxRequestNameLength,
  ownerGroupName,
  requestNameProblems,
  requestShortName,
  workspaceNameProblems,
} from './names';

describe('workspaceNameProblems', () => {
  it('accepts DNS labels that start with a letter', () => {
    expect(workspaceNameProblems('team-a')).toEqual([]);
    expect(workspaceNameProblems('a'.repeat(63))).toEqual([]);
  });

  it.each([
    ['', 'is required'],
    ['Team-A', 'must be lower case'],
    ['-team', 'must not start or end with "-"'],
    ['team-', 'must not start or end with "-"'],
    ['1team', 'must start with a letter'],
    ['team_a', 'may contain only'],
    ['team\na', 'single line'],
    ['a'.repeat(64), 'longer than 63'],
    ['kube-system', 'reserved'],
    ['kube-anything', 'reserved'],
    ['default', 'reserved'],
    ['kafka', 'reserved'],
  ])('refuses %j', (name, problem) => {
    expect(
      workspaceNameProblems(name, ['kafka', 'flux-system']).join(' '),
    ).toContain(problem);
  });
});

describe('requestNameProblems', () => {
  it('limits the name so that <workspace>-<name> fits 63 characters', () => {
    expect(maxRequestNameLength('team-a')).toBe(56);
    expect(requestNameProblems('team-a', 'a'.repeat(56))).toEqual([]);
    expect(requestNameProblems('team-a', 'a'.repeat(57)).join()).toContain(
      'at most 56',
    );
  });

  it('allows a leading digit but not the workspace prefix', () => {
    expect(requestNameProblems('team-a', '2fa')).toEqual([]);
    expect(requestNameProblems('team-a', 'team-a-web').join()).toContain(
      'prefix',
    );
    expect(requestNameProblems('team-a', '../web').join()).toContain(
      'may contain only',
    );
  });
});

describe('helpers', () => {
  it('reads owners and short names', () => {
    expect(ownerGroupName('group:default/team-a')).toBe('team-a');
    expect(ownerGroupName('team-b')).toBe('team-b');
    expect(() => ownerGroupName('group:other/x')).toThrow('default namespace');
    expect(requestShortName('team-a', 'team-a-web')).toBe('web');
    expect(requestShortName('team-a', 'other-web')).toBeUndefined();
  });
});
