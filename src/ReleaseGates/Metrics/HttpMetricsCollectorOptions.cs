using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ReleaseGates.Metrics;

/// <summary>Settings of an <see cref="HttpMetricsCollector"/>.</summary>
public sealed class HttpMetricsCollectorOptions
{
    /// <summary>Capture <c>http.server.request.duration</c>. Default: <see langword="true"/>.</summary>
    public bool CaptureServer { get; set; } = true;

    /// <summary>Capture <c>http.client.request.duration</c>. Default: <see langword="false"/>.</summary>
    public bool CaptureClient { get; set; }

    /// <summary>
    /// Which requests count as errors. Default: <see cref="IsServerError"/> — a 5xx status, or no status with an
    /// <c>error.type</c> (a connection error, a timeout).
    /// </summary>
    public Func<HttpRequestObservation, bool> IsError { get; set; } = IsServerError;

    /// <summary>The length of one window interval. Default: 10 seconds.</summary>
    public TimeSpan WindowInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many window intervals are kept. Default: 360 (one hour of 10-second intervals).</summary>
    public int WindowIntervalCount { get; set; } = 360;

    /// <summary>Histogram precision. Default: 3 significant digits.</summary>
    public int SignificantDigits { get; set; } = 3;

    /// <summary>
    /// Only instruments of meters made by this scope: an app's <see cref="IMeterFactory"/>, so that in a process hosting
    /// several apps (test servers, a gateway with its backends) each collector hears its own app's requests.
    /// <c>AddReleaseGatesHttpMetrics</c> sets it to the app's factory. Default: <see langword="null"/>, every meter of the
    /// captured names.
    /// </summary>
    public object? MeterScope { get; set; }

    /// <summary>
    /// How a fleet's evidence names this instance (a pod or host name). Default: the machine name and the process id,
    /// <c>web-7:4120</c>.
    /// </summary>
    public string? InstanceName { get; set; }

    /// <summary>The default error classification: 5xx, or no response with an <c>error.type</c>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>Whether it is an error.</returns>
    public static bool IsServerError(HttpRequestObservation request) => IsServerErrorStatus(request.StatusCode, request.ErrorType);

    internal static bool IsServerErrorStatus(int statusCode, string? errorType) => statusCode >= 500 || (statusCode == 0 && errorType is not null);
}
