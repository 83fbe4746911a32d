import { parseIpv4Gateway } from './dockerNetwork';

describe('parseIpv4Gateway', () => {
  it('takes the IPv4 gateway of the kind network, whatever the order', () => {
    expect(
      parseIpv4Gateway(
        '[{"Subnet":"fc00:f853:ccd:e793::/64","Gateway":"fc00:f853:ccd:e793::1"},{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]',
      ),
    ).toBe('172.18.0.1');
  });

  it("derives Docker's default gateway when only the subnet is listed", () => {
    expect(
      parseIpv4Gateway('[{"Subnet":"172.19.0.0/16"},{"Subnet":"fc00::/64"}]'),
    ).toBe('172.19.0.1');
  });

  it('has no answer for an IPv6-only network', () => {
    expect(
      parseIpv4Gateway('[{"Subnet":"fc00::/64","Gateway":"fc00::1"}]'),
    ).toBeUndefined();
    expect(parseIpv4Gateway('null')).toBeUndefined();
  });
});
