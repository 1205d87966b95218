using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ReleaseGates.IntegrationTests.Gates.MigrationIntegrity.EfCore.Migrations;

[DbContext(typeof(ShopContext))]
[Migration("20260103000000_SeedTemplates")]
public sealed class SeedTemplates : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
        => migrationBuilder.Sql("INSERT INTO templates (id, name, weight) VALUES (1, 'welcome', 0.5), (2, 'reminder', 0.3), (3, 'farewell', 0.2)");

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("DELETE FROM templates");
}
