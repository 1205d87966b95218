using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// A real Prometheus with <c>--enable-feature=native-histograms</c> scraping one Kestrel instance (job <c>native</c>) that
/// exposes <see cref="Histogram"/>, a native histogram of schema 3, in the protobuf exposition format.
/// </summary>
public sealed class NativePrometheusServer : PrometheusServer
{
    public NativeHistogramExposition Histogram { get; } = new("shop_latency_seconds");

    public override string JobName => "native";

    protected override IReadOnlyList<string> Features => ["native-histograms"];

    protected override async Task<IReadOnlyList<LoopbackApp>> StartInstancesAsync()
        => [await LoopbackApp.StartAsync(app => app.MapGet("/metrics", async context =>
        {
            var body = Histogram.Encode();
            context.Response.ContentType = NativeHistogramExposition.ContentType;
            await context.Response.Body.WriteAsync(body);
        }), CancellationToken.None)];
}
