using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Gates.MigrationIntegrity;

public class FlywayChecksumTests
{
    private static readonly string Fixtures = Path.Combine(Repository.Root, "tests/ReleaseGates.Tests/Gates/MigrationIntegrity/Fixtures");

    // Expected values are the checksums Flyway itself wrote into each project's flyway_schema_history (Fixtures/README.md).
    [Theory]
    [InlineData("flyway-skyweather/V1.0.0__initial.sql", -654675478)]
    [InlineData("flyway-skyweather/V1.0.1__fix_timestamp.sql", 1860348842)]
    [InlineData("flyway-skyweather/V1.0.2__errlogging.sql", -1615027974)]
    [InlineData("flyway-quartz/V2020061902__create-quarz.sql", 390126216)]
    public void Equals_the_checksum_flyway_recorded_for_a_real_script(string file, int expected)
        => Assert.Equal(expected, FlywayChecksum.Compute(File.ReadAllText(Path.Combine(Fixtures, file))));

    [Fact]
    public void Ignores_line_endings_blank_lines_and_a_byte_order_mark_but_not_whitespace_inside_a_line()
    {
        var lf = FlywayChecksum.Compute("CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n");
        Assert.Equal(lf, FlywayChecksum.Compute("CREATE TABLE a (id int);\r\nINSERT INTO a VALUES (1);\r\n"));
        Assert.Equal(lf, FlywayChecksum.Compute("CREATE TABLE a (id int);\r\rINSERT INTO a VALUES (1);"));
        Assert.Equal(lf, FlywayChecksum.Compute("\uFEFFCREATE TABLE a (id int);\n\n\nINSERT INTO a VALUES (1);"));
        Assert.NotEqual(lf, FlywayChecksum.Compute("CREATE TABLE a (id int); \nINSERT INTO a VALUES (1);\n"));
    }

    [Fact]
    public void Empty_script_has_checksum_zero() => Assert.Equal(0, FlywayChecksum.Compute(string.Empty));
}
