using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ReleaseGates.IntegrationTests.Gates.MigrationIntegrity.EfCore;

/// <summary>A small EF Core model with real migrations (in Migrations/), used to produce a real __EFMigrationsHistory.</summary>
public sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<Template> Templates => Set<Template>();

    public static ShopContext Sqlite(string connectionString) => new(new DbContextOptionsBuilder<ShopContext>()
        .UseSqlite(connectionString)
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
        .Options);

    public static ShopContext Postgres(string connectionString) => new(new DbContextOptionsBuilder<ShopContext>()
        .UseNpgsql(connectionString)
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
        .Options);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(e =>
        {
            e.ToTable("users");
            e.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(u => u.LoginId).HasColumnName("login_id").IsRequired();
            e.Property(u => u.Email).HasColumnName("email").IsRequired();
            e.Property(u => u.PasswordHash).HasColumnName("password_hash");
            e.HasIndex(u => u.LoginId).IsUnique();
        });
        modelBuilder.Entity<Template>(e =>
        {
            e.ToTable("templates");
            e.Property(t => t.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(t => t.Name).HasColumnName("name").IsRequired();
            e.Property(t => t.Weight).HasColumnName("weight");
        });
    }
}

public sealed class User
{
    public int Id { get; set; }

    public string LoginId { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public string? PasswordHash { get; set; }
}

public sealed class Template
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public double Weight { get; set; }
}
