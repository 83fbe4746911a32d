import { CommandRunner, runChecked } from './runner';

/**
 * The IPv4 gateway of a Docker network from `docker network inspect <net> --format
 * '{{json .IPAM.Config}}'` output. When the gateway is not listed, Docker's default
 * (the first address of the subnet) is derived from the subnet.
 *
 * @returns undefined when there is no IPv4 subnet.
 * @public
 */
export function parseIpv4Gateway(ipamConfigJson: string): string | undefined {
  const config = JSON.parse(ipamConfigJson) as Array<{
    Subnet?: string;
    Gateway?: string;
  }> | null;
  const isIpv4 = (text: string | undefined) =>
    !!text && /^\d+\.\d+\.\d+\.\d+/.test(text);
  for (const entry of config ?? []) {
    if (isIpv4(entry.Gateway)) return entry.Gateway;
  }
  for (const entry of config ?? []) {
    if (isIpv4(entry.Subnet)) {
      const [address] = entry.Subnet!.split('/');
      const parts = address.split('.').map(Number);
      parts[3] += 1;
      return parts.join('.');
    }
  }
  return undefined;
}

/**
 * The host's address on the Docker network `kind`, where pods in the Kind cluster can reach
 * a server on the host.
 *
 * @public
 */
export async function kindNetworkGateway(
  runner: CommandRunner,
): Promise<string> {
  const result = await runChecked(runner, 'docker', [
    'network',
    'inspect',
    'kind',
    '--format',
    '{{json .IPAM.Config}}',
  ]);
  const gateway = parseIpv4Gateway(result.stdout.trim() || 'null');
  if (!gateway) {
    throw new Error(
      `the Docker network "kind" has no IPv4 subnet (${result.stdout.trim()}); pass --git-url with a URL the cluster can reach`,
    );
  }
  return gateway;
}
