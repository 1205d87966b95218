using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ReleaseGates.IntegrationTests.Gates.MigrationIntegrity.EfCore.Migrations;

[DbContext(typeof(ShopContext))]
[Migration("20260101000000_CreateUsers")]
public sealed class CreateUsers : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "users",
            columns: table => new
            {
                id = table.Column<int>(nullable: false),
                login_id = table.Column<string>(nullable: false),
                email = table.Column<string>(nullable: false),
                password_hash = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_users", x => x.id));
        migrationBuilder.CreateIndex(name: "IX_users_login_id", table: "users", column: "login_id", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "users");
}
