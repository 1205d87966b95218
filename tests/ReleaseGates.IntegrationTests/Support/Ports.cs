using System.Net;
using System.Net.Sockets;

namespace ReleaseGates.IntegrationTests.Support;

public static class Ports
{
    /// <summary>A loopback port that was free a moment ago: nothing listens there (for "connection refused"), or something may now be started there.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
