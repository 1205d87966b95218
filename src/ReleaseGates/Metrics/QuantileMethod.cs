using System.Buffers;

namespace ReleaseGates.Metrics;

/// <summary>How a quantile between two order statistics is chosen.</summary>
public enum QuantileMethod
{
    /// <summary>
    /// Hyndman–Fan type 7, linear interpolation between the order statistics around <c>h = (n − 1)p</c>: the default of
    /// numpy, R, Excel's <c>PERCENTILE.INC</c> and Perfolizer.
    /// </summary>
    Linear = 0,

    /// <summary>Nearest rank (Hyndman–Fan type 1): the sample of rank <c>max(1, ⌈p × n⌉)</c>; always a value that was observed.</summary>
    NearestRank = 1,
}
