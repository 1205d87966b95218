using System.Diagnostics.Metrics;

namespace ReleaseGates;

/// <summary>
/// One instrument of this process through a <see cref="MeterListener"/>: counters and up-down counters summed as they
/// record, observable instruments summed over what their callbacks report at the read.
/// </summary>
internal sealed class InstrumentMetricSource : MetricSource, IDisposable
{
    private readonly string _meter;
    private readonly string _instrument;
    private readonly MeterListener _listener;
    private readonly object _lock = new();
    private double _recorded;
    private double _observed;
    private Instrument? _found;

    public InstrumentMetricSource(string meter, string instrument)
    {
        _meter = meter;
        _instrument = instrument;
        _listener = new MeterListener
        {
            InstrumentPublished = (published, listener) =>
            {
                if (published.Meter.Name == _meter && published.Name == _instrument)
                {
                    _found = published;
                    listener.EnableMeasurementEvents(published);
                }
            },
        };
        _listener.SetMeasurementEventCallback<byte>((i, v, _, _) => Add(i, v));
        _listener.SetMeasurementEventCallback<short>((i, v, _, _) => Add(i, v));
        _listener.SetMeasurementEventCallback<int>((i, v, _, _) => Add(i, v));
        _listener.SetMeasurementEventCallback<long>((i, v, _, _) => Add(i, v));
        _listener.SetMeasurementEventCallback<float>((i, v, _, _) => Add(i, v));
        _listener.SetMeasurementEventCallback<double>((i, v, _, _) => Add(i, v));
        _listener.SetMeasurementEventCallback<decimal>((i, v, _, _) => Add(i, (double)v));
        _listener.Start();
    }

    public override string Description => $"instrument {_instrument} of meter {_meter}";

    public override ValueTask<MetricReading> ReadAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (_found is not { } instrument)
        {
            return ValueTask.FromResult(MetricReading.NoData($"no instrument {_instrument} of meter {_meter} has been created in this process since the source started listening"));
        }

        if (IsHistogram(instrument))
        {
            throw new InvalidOperationException($"{Description} is a histogram, which a metric gate does not read: hold it with a latency gate, or read a counter.");
        }

        if (instrument.IsObservable)
        {
            lock (_lock)
            {
                _observed = 0;
                _listener.RecordObservableInstruments();
                return ValueTask.FromResult(MetricReading.Of(_observed, $"{Description} (observed now)"));
            }
        }

        lock (_lock)
        {
            return ValueTask.FromResult(MetricReading.Of(_recorded, $"{Description} (recorded since listening)"));
        }
    }

    public void Dispose() => _listener.Dispose();

    private static bool IsHistogram(Instrument instrument)
        => instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>);

    private void Add(Instrument instrument, double value)
    {
        lock (_lock)
        {
            if (instrument.IsObservable)
            {
                _observed += value;
            }
            else
            {
                _recorded += value;
            }
        }
    }
}
