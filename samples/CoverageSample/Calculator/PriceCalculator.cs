namespace CoverageSample;

/// <summary>Deliberately half-tested: some branches and one method are never run by the tests.</summary>
public static class PriceCalculator
{
    public static decimal Total(decimal unitPrice, int quantity, string? coupon)
    {
        if (quantity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity));
        }

        var total = unitPrice * quantity;
        if (coupon == "HALF")
        {
            total /= 2;
        }
        else if (coupon == "TENOFF")
        {
            total -= 10;
        }

        return total < 0 ? 0 : total;
    }

    public static string Describe(decimal total) => total switch
    {
        0 => "free",
        < 10 => "cheap",
        < 100 => "fair",
        _ => "expensive",
    };

    public static async Task<decimal> TotalLaterAsync(decimal unitPrice, int quantity)
    {
        await Task.Yield();
        return Total(unitPrice, quantity, null);
    }

    public static decimal NeverCalled(decimal value)
    {
        var doubled = value * 2;
        return doubled + 1;
    }
}
