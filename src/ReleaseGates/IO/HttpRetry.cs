using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ReleaseGates.IO;

/// <summary>
/// The one HTTP attempt pipeline the probes and sources share (Polly.Core): retries with exponential backoff and jitter
/// after a transport error, an attempt's timeout or a transient status (each caller names its own), then a timeout per
/// attempt. A response that is retried is disposed.
/// </summary>
internal static class HttpRetry
{
    /// <summary>The statuses every caller retries: 502, 503 and 504.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Builds the pipeline; <paramref name="configure"/> adds the caller's own strategies between the retry and the timeout.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Build(
        TimeProvider time,
        int maximumRetries,
        TimeSpan retryDelay,
        TimeSpan attemptTimeout,
        Func<HttpStatusCode, bool> retryStatus,
        Action<ResiliencePipelineBuilder<HttpResponseMessage>>? configure = null)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (maximumRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maximumRetries,
                Delay = retryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => retryStatus(r.StatusCode)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        configure?.Invoke(builder);
        builder.AddTimeout(attemptTimeout);
        return builder.Build();
    }
}
