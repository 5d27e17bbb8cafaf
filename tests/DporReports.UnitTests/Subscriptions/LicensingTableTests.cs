using System.Text;
using DporReports.Core.Subscriptions.Licensing;
using DporReports.Core.Usage;
using Microsoft.VisualBasic.FileIO;

namespace DporReports.UnitTests.Subscriptions;

/// <summary>
/// Microsoft's licensing table as shipped (checked against an independent parse with the runtime's TextFieldParser), and
/// the table's real quirks on small inputs.
/// </summary>
public sealed class LicensingTableTests
{
    private const string Header = "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\r\n";

    private static readonly Lazy<List<string[]>> RawRows = new(() =>
    {
        using var stream = typeof(LicensingTable).Assembly.GetManifestResourceStream(LicensingTable.ResourceName)!;
        using var parser = new TextFieldParser(stream, Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        parser.ReadFields(); // header
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        return rows;
    });

    private static Task<IReadOnlyList<TableSku>> ReadAsync(string csv) =>
        LicensingTable.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Header + csv)), CancellationToken.None);

    [Fact]
    public async Task Shipped_EveryRowParsed_IntoMicrosoftsSkusAndPlans()
    {
        var table = await LicensingTable.ReadShippedAsync(CancellationToken.None);
        var raw = RawRows.Value;

        Assert.Equal(5457, raw.Count); // the December 2025 edition
        var skuIds = raw.Select(r => Guid.Parse(r[2].Trim())).ToHashSet();
        Assert.Equal(skuIds.Count, table.Count);
        Assert.Equal(568, table.Select(s => s.PartNumber).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var pairs = raw.Select(r => (Guid.Parse(r[2].Trim()), Guid.Parse(r[4].Trim()))).ToHashSet();
        Assert.Equal(pairs.Count, table.Sum(s => s.Plans.Count));
        Assert.All(table, s => Assert.Equal(s.Plans.Count, s.Plans.Select(p => p.Id).Distinct().Count()));
    }

    [Fact]
    public async Task Shipped_EachSkuId_HasOnePartNumberAndName_AndNoStraySpaces()
    {
        var table = await LicensingTable.ReadShippedAsync(CancellationToken.None);

        foreach (var group in RawRows.Value.GroupBy(r => Guid.Parse(r[2].Trim())))
        {
            var sku = Assert.Single(table, s => s.SkuId == group.Key);
            Assert.Equal(string.Join(' ', group.First()[1].Split(default(char[]), StringSplitOptions.RemoveEmptyEntries)), sku.PartNumber);
        }

        Assert.All(table, s => Assert.Equal(s.PartNumber.Trim(), s.PartNumber));
        Assert.Contains(table, s => s.PartNumber == "AAD_PREMIUM_USGOV_GCCHIGH"); // "AAD_PREMIUM_USGOV_GCCHIGH " in the file
        Assert.Equal(2, table.Count(s => s.PartNumber == "MCOPSTN5")); // one part number, two skuIds: both kept
    }

    [Fact]
    public async Task Shipped_PlanSpelledTwoWays_TakesTheNameMostRowsUse()
    {
        var table = await LicensingTable.ReadShippedAsync(CancellationToken.None);
        var names = table.SelectMany(s => s.Plans).GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.Select(p => p.Name).Distinct().ToList());

        Assert.All(names.Values, n => Assert.Single(n));
        Assert.Equal("RMS_S_ENTERPRISE", names[new Guid("bea4c11e-220a-4e6d-8eb8-8ea15d019f90")][0]); // one row says "RMS_S_ENTERPRISE)"
        Assert.Equal("EXCHANGE_S_FOUNDATION", names[new Guid("113feb6c-3fe4-4440-bddc-54d774bf0318")][0]);
        Assert.Equal("Virtualization Rights for Windows 10 (E3/E5+VDA)", names[new Guid("e7c91390-7625-45be-94e0-e16907e03118")][0]);
    }

    [Fact]
    public async Task Read_StraySpacesTabsAndNoBreakSpaces_AreTrimmedAndCollapsed()
    {
        var table = await ReadAsync(
            "\u00a0Office 365  E3 , ENTERPRISEPACK ,6fd2c87f-b296-42f0-b197-1e91e994b900 ,EXCHANGE_S_ENTERPRISE\t,efb87545-963c-4e0d-99df-69c6916d9eb0,Exchange\r\n");

        var sku = Assert.Single(table);
        Assert.Equal(("Office 365 E3", "ENTERPRISEPACK"), (sku.DisplayName, sku.PartNumber));
        Assert.Equal("EXCHANGE_S_ENTERPRISE", Assert.Single(sku.Plans).Name);
    }

    [Fact]
    public async Task Read_SameRowTwice_KeepsOnePlan()
    {
        const string row = "Office 365 E3,ENTERPRISEPACK,6fd2c87f-b296-42f0-b197-1e91e994b900,TEAMS1,57ff2da0-773e-42df-b2af-ffb7a2317929,Teams\r\n";

        Assert.Single(Assert.Single(await ReadAsync(row + row)).Plans);
    }

    [Theory]
    [InlineData("Office 365 E3,ENTERPRISEPACK,not-a-guid,TEAMS1,57ff2da0-773e-42df-b2af-ffb7a2317929,Teams\r\n", "GUID")]
    [InlineData("Office 365 E3,ENTERPRISEPACK,6fd2c87f-b296-42f0-b197-1e91e994b900,TEAMS1,57ff2da0,Teams\r\n", "Service_Plan_Id")]
    [InlineData("Office 365 E3, ,6fd2c87f-b296-42f0-b197-1e91e994b900,TEAMS1,57ff2da0-773e-42df-b2af-ffb7a2317929,Teams\r\n", "String_Id")]
    [InlineData("Office 365 E3,ENTERPRISEPACK,6fd2c87f-b296-42f0-b197-1e91e994b900,TEAMS1,57ff2da0-773e-42df-b2af-ffb7a2317929,Teams\r\n"
        + "Office 365 E3,OTHERPACK,6fd2c87f-b296-42f0-b197-1e91e994b900,TEAMS1,57ff2da0-773e-42df-b2af-ffb7a2317929,Teams\r\n", "OTHERPACK")]
    [InlineData("", "no rows")]
    public async Task Read_MalformedTable_IsRefusedNamingWhere(string rows, string named)
    {
        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() => ReadAsync(rows));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ColumnMissing_IsRefused()
    {
        var csv = "Product_Display_Name,String_Id,GUID,Service_Plan_Name\r\nOffice 365 E3,ENTERPRISEPACK,6fd2c87f-b296-42f0-b197-1e91e994b900,TEAMS1\r\n";

        var error = await Assert.ThrowsAsync<UsageReportFormatException>(() =>
            LicensingTable.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None));

        Assert.Contains("Service_Plan_Id", error.Message, StringComparison.Ordinal);
    }
}
