using System.Security.Authentication;

namespace ReleaseGates.Tests.Gates.Tls;

public class TlsGateOptionsTests
{
    [Fact]
    public void Invalid_options_are_all_reported()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddTls("tls", o =>
        {
            o.Endpoints.Add(new Uri("http://orders.example.com/"));
            o.MinimumDaysUntilExpiry = 30;
            o.WarningDaysUntilExpiry = 10;
#pragma warning disable SYSLIB0039, CA5397 // the point of the test: an allowed set without TLS 1.2 or 1.3
            o.AllowedProtocols = SslProtocols.Tls11;
#pragma warning restore SYSLIB0039, CA5397
            o.HandshakeTimeout = TimeSpan.Zero;
        }));

        Assert.Contains("'http://orders.example.com/' is not an absolute https:// address", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WarningDaysUntilExpiry not below it, but they were 30 and 10", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AllowedProtocols must include TLS 1.2 or TLS 1.3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HandshakeTimeout must be above zero", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_required_version_must_be_allowed()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddTls("tls", o =>
        {
            o.Endpoints.Add(new Uri("https://orders.example.com/"));
            o.AllowedProtocols = SslProtocols.Tls12;
            o.RequiredProtocols = SslProtocols.Tls13;
        }));

        Assert.Contains("RequiredProtocols (Tls13) must lie within AllowedProtocols (Tls12)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_endpoint_is_a_problem()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddTls("tls", _ => { }));
        Assert.Contains("Endpoints must list at least one https:// address", ex.Message, StringComparison.Ordinal);
    }
}
