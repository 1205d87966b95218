using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ReleaseGates.Metrics;

/// <summary>Which side of an HTTP exchange a measurement describes.</summary>
public enum HttpMetricSource
{
    /// <summary><c>http.server.request.duration</c>, published by ASP.NET Core 8+ (meter <c>Microsoft.AspNetCore.Hosting</c>).</summary>
    Server,

    /// <summary><c>http.client.request.duration</c>, published by <see cref="System.Net.Http.HttpClient"/> (meter <c>System.Net.Http</c>).</summary>
    Client,
}
