import { PlatformStatus, StatusItem } from './types';

const columns = ['KIND', 'NAMESPACE', 'NAME', 'HEALTH', 'SUMMARY'] as const;

/**
 * Shortens `@sha1:<40 hex>` revisions to 12 hex digits for a table.
 *
 * @public
 */
export function shortenRevisions(text: string): string {
  return text.replace(/(sha1:[0-9a-f]{12})[0-9a-f]{28}/g, '$1');
}

/** The summary on one line, revisions shortened. */
function summaryOf(item: StatusItem): string {
  return shortenRevisions(item.summary.replace(/\s+/g, ' ').trim());
}

function truncate(text: string, width: number): string {
  return text.length <= width
    ? text
    : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Renders the status as a table per layer, for people: each object's health and summary (the
 * summary column is cut to fit `width`), then everything not ready with its summary in full.
 *
 * @public
 */
export function renderStatusTable(
  status: PlatformStatus,
  options: { width?: number } = {},
): string {
  if (!status.reachable) {
    return [
      `No cluster reachable at kubeconfig context "${status.context}".`,
      `  ${status.error.split('\n').join('\n  ')}`,
      'Start the platform with `yarn atlas up`, or pass --context for another cluster.',
      '',
    ].join('\n');
  }

  const width = Math.max(options.width ?? 160, 80);
  const items = status.layers.flatMap(group => group.items);
  const rowOf = (item: StatusItem) => [
    item.kind === 'ResourceGraphDefinition' ? 'RGD' : item.kind,
    item.namespace ?? '-',
    item.name,
    item.health,
    summaryOf(item),
  ];
  const rows = items.map(rowOf);
  const widths = columns.map((header, index) =>
    index === columns.length - 1
      ? 0
      : Math.max(header.length, ...rows.map(row => row[index].length)),
  );
  const fixed = widths.reduce((sum, w) => sum + w + 2, 2);
  const summaryWidth = Math.max(width - fixed, 20);
  const line = (cells: readonly string[]) =>
    `  ${cells
      .map((cell, index) =>
        index === cells.length - 1
          ? truncate(cell, summaryWidth)
          : cell.padEnd(widths[index]),
      )
      .join('  ')}`.trimEnd();

  const out: string[] = [
    `Mini-Atlas platform at kubeconfig context "${status.context}"`,
    '',
  ];
  for (const group of status.layers) {
    out.push(group.title);
    if (group.items.length === 0) {
      out.push('  (nothing yet)', '');
      continue;
    }
    out.push(line(columns));
    for (const item of group.items) {
      out.push(line(rowOf(item)));
    }
    out.push('');
  }

  const notReadyItems = items.filter(item => item.health !== 'ready');
  if (notReadyItems.length > 0) {
    out.push('Not ready (full messages):');
    for (const item of notReadyItems) {
      out.push(
        `  - ${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${
          item.name
        } (${item.health}): ${summaryOf(item)}`,
      );
    }
    out.push('');
  }

  if (status.problems.length > 0) {
    out.push('Could not read:');
    for (const problem of status.problems) out.push(`  - ${problem}`);
    out.push('');
  }

  const notReady = notReadyItems.length;
  if (status.summary.total === 0) {
    out.push(
      'Nothing of the platform is in the cluster yet (run `yarn atlas up`).',
    );
  } else if (status.ready) {
    out.push(`All ${status.summary.total} ready.`);
  } else {
    out.push(
      `${status.summary.ready} of ${status.summary.total} ready${
        notReady > 0 ? `; ${notReady} not ready` : ''
      }${
        status.problems.length > 0 ? '; some objects could not be read' : ''
      }.`,
    );
  }
  out.push('');
  return out.join('\n');
}

/**
 * Renders the status as JSON, for programs.
 *
 * @public
 */
export function renderStatusJson(status: PlatformStatus): string {
  return `${JSON.stringify(status, null, 2)}\n`;
}
