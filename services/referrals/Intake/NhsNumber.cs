namespace Dit.Referrals.Intake;

/// <summary>NHS numbers: 10 digits, the last a Modulus 11 check digit over the first nine (weights 10..2).</summary>
public static class NhsNumber
{
    /// <summary>The number without the spaces and dashes people type, or null when it is not a valid NHS number.</summary>
    public static string? Normalise(string? input)
    {
        if (input is null) return null;
        var digits = new string(input.Where(c => c is not (' ' or '-')).ToArray());
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit)) return null;

        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (digits[i] - '0') * (10 - i);
        var check = 11 - sum % 11;
        if (check == 11) check = 0;
        if (check == 10) return null;
        return check == digits[9] - '0' ? digits : null;
    }

    /// <summary>For logs: only the last three digits.</summary>
    public static string Mask(string nhsNumber) =>
        nhsNumber.Length >= 3 ? $"*******{nhsNumber[^3..]}" : "***";
}
