using Dit.Referrals.Intake;

namespace Dit.Referrals.Tests;

public sealed class NhsNumberTests
{
    [Theory]
    [InlineData("9434765919", "9434765919")]
    [InlineData("943 476 5919", "9434765919")]
    [InlineData("943-476-5919", "9434765919")]
    [InlineData("4010232137", "4010232137")]
    public void Valid_numbers_are_accepted_as_people_type_them(string typed, string expected) =>
        Assert.Equal(expected, NhsNumber.Normalise(typed));

    [Theory]
    [InlineData("9434765918")]   // wrong check digit
    [InlineData("943476591")]    // nine digits
    [InlineData("94347659190")]  // eleven digits
    [InlineData("94347659l9")]   // a letter
    [InlineData("1000000010")]   // check digit would be 10: never issued
    [InlineData("")]
    [InlineData(null)]
    public void Invalid_numbers_are_refused(string? typed) => Assert.Null(NhsNumber.Normalise(typed));

    [Fact]
    public void A_check_digit_of_eleven_is_written_as_zero()
    {
        // Nine digits whose weighted sum is a multiple of 11 give 11 - 0 = 11, written as check digit 0.
        var nineDigits = Enumerable.Range(0, 100000000).Select(n => n.ToString("000000000"))
            .First(d => d.Select((c, i) => (c - '0') * (10 - i)).Sum() % 11 == 0 && d != "000000000");
        Assert.Equal(nineDigits + "0", NhsNumber.Normalise(nineDigits + "0"));
        Assert.Null(NhsNumber.Normalise(nineDigits + "1"));
    }

    [Fact]
    public void Logs_see_only_the_last_three_digits() => Assert.Equal("*******919", NhsNumber.Mask("9434765919"));
}
