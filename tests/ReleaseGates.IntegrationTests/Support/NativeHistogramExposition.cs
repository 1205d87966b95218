using System.Globalization;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// A native (sparse, exponential) Prometheus histogram in the protobuf exposition format Prometheus scrapes with
/// <c>--enable-feature=native-histograms</c> (<c>io.prometheus.client.MetricFamily</c>, length-delimited): no .NET
/// exporter that restores here writes native histograms, so the tests encode one by hand, after
/// <c>prometheus/client_model</c>'s <c>metrics.proto</c>. Thread-safe.
/// </summary>
public sealed class NativeHistogramExposition(string name, int schema = 3)
{
    public const string ContentType = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    private readonly object _lock = new();
    private readonly SortedDictionary<int, long> _buckets = [];
    private long _count;
    private double _sum;

    public string Name => name;

    /// <summary>Every observed value, for the tests' exact oracle.</summary>
    public List<double> Observed { get; } = [];

    /// <summary>Records a value (seconds) in the bucket (base^(i−1), base^i] whose index is i, base = 2^(2^−schema).</summary>
    public void Observe(double value)
    {
        var index = (int)Math.Ceiling(Math.Log2(value) * Math.Pow(2, schema) - 1e-9);
        lock (_lock)
        {
            _buckets[index] = _buckets.GetValueOrDefault(index) + 1;
            _count++;
            _sum += value;
            Observed.Add(value);
        }
    }

    /// <summary>The metric family, length-delimited.</summary>
    public byte[] Encode()
    {
        lock (_lock)
        {
            var histogram = new Writer();
            histogram.Varint(1, (ulong)_count);              // sample_count
            histogram.Double(2, _sum);                       // sample_sum
            histogram.Varint(5, ZigZag(schema));             // schema (sint32)
            histogram.Double(6, 2.938735877055719e-39);      // zero_threshold
            histogram.Varint(7, 0);                          // zero_count
            int? previous = null;
            long last = 0;
            var deltas = new List<long>();
            foreach (var (index, count) in _buckets)
            {
                // A new span for each index that does not follow the previous one (simple and valid).
                var span = new Writer();
                span.Varint(1, ZigZag(previous is null ? index : index - previous.Value - 1)); // offset (sint32)
                span.Varint(2, 1);                           // length
                histogram.Message(12, span);                 // positive_span
                deltas.Add(count - last);
                last = count;
                previous = index;
            }

            foreach (var delta in deltas)
            {
                histogram.Varint(13, ZigZag(delta));         // positive_delta (sint64)
            }

            var label = new Writer();
            label.String(1, "service");
            label.String(2, "shop");
            var metric = new Writer();
            metric.Message(1, label);
            metric.Message(7, histogram);
            var family = new Writer();
            family.String(1, name);
            family.String(2, "Request latency in seconds.");
            family.Varint(3, 4);                             // HISTOGRAM
            family.Message(4, metric);
            var body = family.ToArray();
            var framed = new Writer();
            framed.Raw((ulong)body.Length);
            framed.Bytes(body);
            return framed.ToArray();
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{name}: {_count} observations");

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>Protocol buffers' wire format: varints, 64-bit doubles and length-delimited fields.</summary>
    private sealed class Writer
    {
        private readonly List<byte> _bytes = [];

        public void Varint(int field, ulong value)
        {
            Raw((ulong)(field << 3));
            Raw(value);
        }

        public void Double(int field, double value)
        {
            Raw((ulong)((field << 3) | 1));
            _bytes.AddRange(BitConverter.GetBytes(value));
        }

        public void String(int field, string value) => Length(field, System.Text.Encoding.UTF8.GetBytes(value));

        public void Message(int field, Writer message) => Length(field, message.ToArray());

        public void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.Add((byte)value);
        }

        public void Bytes(byte[] bytes) => _bytes.AddRange(bytes);

        public byte[] ToArray() => [.. _bytes];

        private void Length(int field, byte[] bytes)
        {
            Raw((ulong)((field << 3) | 2));
            Raw((ulong)bytes.Length);
            _bytes.AddRange(bytes);
        }
    }
}
