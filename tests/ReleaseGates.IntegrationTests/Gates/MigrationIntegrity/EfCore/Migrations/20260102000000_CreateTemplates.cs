using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ReleaseGates.IntegrationTests.Gates.MigrationIntegrity.EfCore.Migrations;

[DbContext(typeof(ShopContext))]
[Migration("20260102000000_CreateTemplates")]
public sealed class CreateTemplates : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.CreateTable(
        name: "templates",
        columns: table => new
        {
            id = table.Column<int>(nullable: false),
            name = table.Column<string>(nullable: false),
            weight = table.Column<double>(nullable: false),
        },
        constraints: table => table.PrimaryKey("PK_templates", x => x.id));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "templates");
}
