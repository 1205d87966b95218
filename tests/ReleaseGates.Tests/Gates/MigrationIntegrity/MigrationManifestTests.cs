using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Gates.MigrationIntegrity;

public class MigrationManifestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_the_manifest_fixture()
    {
        var manifest = await MigrationManifest.ReadAsync(Path.Combine(Fixtures.Root, "migrations", "manifest.json"), Ct);
        Assert.Equal(["20240101000000_Initial", "20240201000000_AddOrders"], manifest.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_duplicated_id_is_an_error_naming_it_never_the_last_entry_wins()
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("manifest.json", """{ "migrations": [ { "id": "1_Init", "sha256": "aa" }, { "id": "1_Init", "sha256": "bb" } ] }""");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => MigrationManifest.ReadAsync(path, Ct));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("migrations[1] repeats the id '1_Init'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[ 1, 2 ]", "expected an object with a \"migrations\" array")]
    [InlineData("{ \"migrations\": [ { \"id\": 5, \"sha256\": \"aa\" } ] }", "migrations[0] needs string fields")]
    public async Task An_invalid_manifest_names_the_file_and_what_was_expected(string json, string expected)
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("manifest.json", json);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => MigrationManifest.ReadAsync(path, Ct));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_is_an_error_naming_the_file()
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = Path.Combine(folder.Path, "manifest.json");
        await File.WriteAllBytesAsync(path, [.. "{ \"migrations\": [ { \"id\": \""u8, 0xC3, 0x28, .. "\", \"sha256\": \"aa\" } ] }"u8], Ct);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => MigrationManifest.ReadAsync(path, Ct));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }
}
