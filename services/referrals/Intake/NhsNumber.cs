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

        return CheckDigit(digits[..9]) == digits[9] - '0' ? digits : null;
    }

    /// <summary>The Modulus 11 check digit of nine digits, or null when they have none (a remainder giving 10).</summary>
    public static int? CheckDigit(string nineDigits)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (nineDigits[i] - '0') * (10 - i);
        var check = 11 - sum % 11;
        return check switch { 11 => 0, 10 => null, _ => check };
    }

    /// <summary>For logs: only the last three digits.</summary>
    public static string Mask(string nhsNumber) =>
        nhsNumber.Length >= 3 ? $"*******{nhsNumber[^3..]}" : "***";
}
