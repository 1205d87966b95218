namespace ReleaseGates;

/// <summary>The coverage report formats the gate reads.</summary>
public enum CoverageFormat
{
    /// <summary>Detect from the content: the XML root element, or an lcov first record.</summary>
    Auto,

    /// <summary>Cobertura XML (coverlet, dotnet-coverage, Java Cobertura, coverage.py, Istanbul).</summary>
    Cobertura,

    /// <summary>OpenCover XML (OpenCover, AltCover, coverlet).</summary>
    OpenCover,

    /// <summary>lcov tracefile.</summary>
    Lcov,

    /// <summary>JaCoCo XML.</summary>
    JaCoCo,

    /// <summary>JetBrains dotCover's detailed XML (statements; lines derived as ReportGenerator derives them).</summary>
    DotCover,
}
