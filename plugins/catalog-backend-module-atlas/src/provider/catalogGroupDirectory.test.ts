import { mockServices } from '@backstage/backend-test-utils';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createCatalogGroupDirectory } from './catalogGroupDirectory';

describe('createCatalogGroupDirectory', () => {
  function setup(names: string[] | Error) {
    const getEntities = jest.fn(async () => {
      if (names instanceof Error) throw names;
      return { items: names.map(name => ({ metadata: { name } })) };
    });
    let markStarted = () => {};
    const started = new Promise<void>(resolve => {
      markStarted = resolve;
    });
    const directory = createCatalogGroupDirectory({
      catalog: { getEntities } as unknown as CatalogService,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      started,
    });
    return { directory, getEntities, markStarted };
  }

  it('asks the catalog only once it has started, then keeps the answer for a while', async () => {
    const { directory, getEntities, markStarted } = setup(['Team-A', 'team-b']);
    expect(await directory.groupNames()).toBeUndefined();
    expect(getEntities).not.toHaveBeenCalled();

    markStarted();
    await Promise.resolve();
    expect(await directory.groupNames()).toEqual(new Set(['team-a', 'team-b']));
    expect(getEntities).toHaveBeenCalledWith(
      {
        filter: { kind: 'Group', 'metadata.namespace': 'default' },
        fields: ['metadata.name'],
      },
      { credentials: expect.anything() },
    );
    await directory.groupNames();
    expect(getEntities).toHaveBeenCalledTimes(1);
  });

  it('knows nothing while the catalog has no Group or does not answer', async () => {
    for (const answer of [[], new Error('503 Service Unavailable')]) {
      const { directory, markStarted } = setup(answer);
      markStarted();
      await Promise.resolve();
      expect(await directory.groupNames()).toBeUndefined();
    }
  });
});
