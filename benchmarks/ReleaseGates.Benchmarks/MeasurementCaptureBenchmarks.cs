using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// The cost of one request-duration measurement as ASP.NET Core publishes it (<c>http.server.request.duration</c> in
/// seconds, with method, route and status tags), captured in-process by <see cref="HttpMetricsCollector"/> (a
/// MeterListener into per-endpoint histograms and time windows) against the OpenTelemetry SDK 1.21's own aggregation
/// of the same instrument: its default explicit-bucket histogram, and its base-2 exponential histogram (160 buckets).
/// Each listener runs alone in its process; 1M measurements per invocation (log-normal durations, four routes).
/// </summary>
[MemoryDiagnoser]
public class MeasurementCaptureBenchmarks
{
    private const int N = 1_000_000;
    private static readonly string[] Routes = ["/orders/{id}", "/orders", "/health", "/products/{sku}"];
    private double[] _seconds = [];
    private Meter _meter = null!;
    private Histogram<double> _duration = null!;
    private HttpMetricsCollector? _collector;
    private MeterProvider? _provider;
    private MeterListener? _empty;
    private readonly ManualResetEventSlim _stop = new();
    private Thread? _serving;
    private long _servedBytes;

    [GlobalSetup(Target = nameof(ReleaseGatesCollector))]
    public void SetupCollector()
    {
        Setup();
        _collector = new HttpMetricsCollector();
    }

    /// <summary>The same collector while a fleet reads it: its histograms (every request, each route, a minute of windows) exported every 100 ms.</summary>
    [GlobalSetup(Target = nameof(ReleaseGatesCollectorServed))]
    public void SetupCollectorServed()
    {
        SetupCollector();
        _serving = new Thread(() =>
        {
            while (!_stop.Wait(100))
            {
                _servedBytes += _collector!.ExportHistograms(TimeSpan.FromMinutes(1)).Length;
            }
        }) { IsBackground = true };
        _serving.Start();
    }

    [GlobalSetup(Target = nameof(OpenTelemetryExplicitBuckets))]
    public void SetupOpenTelemetryExplicit()
    {
        Setup();
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(HttpMetricsCollector.ServerMeterName)
            .AddReader(new BaseExportingMetricReader(new DiscardingExporter()))
            .Build();
    }

    [GlobalSetup(Target = nameof(OpenTelemetryExponential))]
    public void SetupOpenTelemetryExponential()
    {
        Setup();
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(HttpMetricsCollector.ServerMeterName)
            .AddView(HttpMetricsCollector.ServerInstrumentName, new Base2ExponentialBucketHistogramConfiguration())
            .AddReader(new BaseExportingMetricReader(new DiscardingExporter()))
            .Build();
    }

    /// <summary>For development: a listener that does nothing, the floor every listener pays.</summary>
    public void SetupEmptyListener()
    {
        Setup();
        var listener = new MeterListener { InstrumentPublished = (i, l) => l.EnableMeasurementEvents(i) };
        listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        listener.Start();
        _empty = listener;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Set();
        _serving?.Join();
        _collector?.Dispose();
        _provider?.Dispose();
        _empty?.Dispose();
        _meter.Dispose();
    }

    [Benchmark(OperationsPerInvoke = N, Description = "ReleaseGates HttpMetricsCollector (MeterListener)")]
    public void ReleaseGatesCollector() => RecordAll();

    [Benchmark(OperationsPerInvoke = N, Description = "ReleaseGates HttpMetricsCollector, histograms served every 100 ms")]
    public void ReleaseGatesCollectorServed() => RecordAll();

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "OpenTelemetry SDK, explicit-bucket histogram (peer)")]
    public void OpenTelemetryExplicitBuckets() => RecordAll();

    [Benchmark(OperationsPerInvoke = N, Description = "OpenTelemetry SDK, base-2 exponential histogram (peer)")]
    public void OpenTelemetryExponential() => RecordAll();

    private void Setup()
    {
        _seconds = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal)[..N].Select(ns => ns / 1e9).ToArray();
        _meter = new Meter(HttpMetricsCollector.ServerMeterName);
        _duration = _meter.CreateHistogram<double>(HttpMetricsCollector.ServerInstrumentName, "s");
    }

    private void RecordAll()
    {
        var duration = _duration;
        var seconds = _seconds;
        for (var i = 0; i < seconds.Length; i++)
        {
            duration.Record(
                seconds[i],
                new KeyValuePair<string, object?>("http.request.method", "GET"),
                new KeyValuePair<string, object?>("http.route", Routes[i & 3]),
                new KeyValuePair<string, object?>("http.response.status_code", 200));
        }
    }

    /// <summary>An exporter that keeps nothing: only the SDK's aggregation is measured.</summary>
    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
