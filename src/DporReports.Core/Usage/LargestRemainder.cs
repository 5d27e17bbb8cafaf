namespace DporReports.Core.Usage;

/// <summary>
/// Splits a whole number into integer parts proportional to weights, summing exactly to the whole (the largest-remainder,
/// or Hamilton, method): each part gets the floor of its exact quota, and the units left over go one each to the largest
/// remainders. Ties go to the smaller key, so the result does not depend on input order. All-zero weights split evenly.
/// </summary>
public static class LargestRemainder
{
    public static int[] Split(int total, IReadOnlyList<long> weights, IReadOnlyList<Guid> keys)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfNotEqual(keys.Count, weights.Count, nameof(keys));
        ArgumentOutOfRangeException.ThrowIfZero(weights.Count, nameof(weights));
        if (weights.Any(w => w < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(weights), "Weights cannot be negative.");
        }

        var effective = weights.Sum() == 0 ? [.. weights.Select(_ => 1L)] : weights.ToArray();
        var sum = (Int128)effective.Sum();
        var parts = new int[effective.Length];
        var remainders = new Int128[effective.Length];
        var given = 0;
        for (var i = 0; i < effective.Length; i++)
        {
            // Exact integer arithmetic: quota = total × weight / sum, no rounding drift.
            var product = (Int128)total * effective[i];
            parts[i] = (int)(product / sum);
            remainders[i] = product % sum;
            given += parts[i];
        }

        var order = Enumerable.Range(0, parts.Length)
            .OrderByDescending(i => remainders[i])
            .ThenBy(i => keys[i]);
        foreach (var i in order.Take(total - given))
        {
            parts[i]++;
        }

        return parts;
    }
}
