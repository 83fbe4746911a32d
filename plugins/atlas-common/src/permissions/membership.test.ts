import { userGroupNames } from './membership';

describe('userGroupNames', () => {
  it('reads memberOf relations and spec.memberOf', () => {
    expect(
      userGroupNames({
        kind: 'User',
        metadata: { name: 'guest' },
        spec: { memberOf: ['platform-team', 'group:default/Team-C'] },
        relations: [
          { type: 'memberOf', targetRef: 'group:default/team-a' },
          { type: 'ownedBy', targetRef: 'group:default/team-b' },
          { type: 'memberOf', targetRef: 'group:other/team-x' },
        ],
      }),
    ).toEqual(['platform-team', 'team-a', 'team-c']);
  });

  it('is empty for anything that is not an entity', () => {
    expect(userGroupNames(undefined)).toEqual([]);
    expect(userGroupNames({ spec: { memberOf: 'team-a' } })).toEqual([]);
  });
});
