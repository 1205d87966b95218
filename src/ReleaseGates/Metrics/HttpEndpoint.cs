using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ReleaseGates.Metrics;

/// <summary>An endpoint the collector keeps statistics for.</summary>
/// <param name="Source">Server or client.</param>
/// <param name="Method">The request method.</param>
/// <param name="Route">The route template (server) or server address (client).</param>
public readonly record struct HttpEndpoint(HttpMetricSource Source, string Method, string Route);
