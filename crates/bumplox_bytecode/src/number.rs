//! Number formatting: Lox prints numbers the way clox does, with C's `printf("%g")`.

/// Formats `number` exactly as C's `printf("%g", number)` does: six significant
/// digits, trailing zeros removed, and exponent notation (with at least two
/// exponent digits) when the exponent is below -4 or at least 6.
///
/// A NaN prints as `nan`, or `-nan` when its sign bit is set, as glibc prints it;
/// on x86-64 `0/0` produces the negative one, so `print 0/0;` shows `-nan` exactly
/// as clox does.
pub fn format_number(number: f64) -> String {
    const PRECISION: i32 = 6;
    if number.is_nan() {
        return signed(number, "nan");
    }
    if number.is_infinite() {
        return signed(number, "inf");
    }
    if number == 0.0 {
        return signed(number, "0");
    }
    // `%g` chooses between fixed and exponent style by the exponent the number
    // has once rounded to the precision (999999.5 becomes 1e+06), so round in
    // exponent style first and read the exponent back from the result.
    let scientific = format!("{:.*e}", (PRECISION - 1) as usize, number);
    let (mantissa, exponent) = match scientific.split_once('e') {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().unwrap_or(0)),
        None => (scientific.as_str(), 0),
    };
    if (-4..PRECISION).contains(&exponent) {
        let decimals = usize::try_from(PRECISION - 1 - exponent).unwrap_or(0);
        return trim_fraction(&format!("{number:.decimals$}")).to_owned();
    }
    let sign = match exponent < 0 {
        true => '-',
        false => '+',
    };
    let digits = exponent.unsigned_abs();
    format!("{}e{sign}{digits:02}", trim_fraction(mantissa))
}

/// `magnitude` with a leading minus sign when `number`'s sign bit is set.
fn signed(number: f64, magnitude: &str) -> String {
    match number.is_sign_negative() {
        true => format!("-{magnitude}"),
        false => magnitude.to_owned(),
    }
}

/// Removes trailing zeros after a decimal point, and the point itself when nothing
/// is left after it, as `%g` does.
fn trim_fraction(digits: &str) -> &str {
    match digits.contains('.') {
        true => digits.trim_end_matches('0').trim_end_matches('.'),
        false => digits,
    }
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn formats_like_printf_g() {
        let cases = [
            (1.0, "1"),
            (0.5, "0.5"),
            (1e6, "1e+06"),
            (123456789.0, "1.23457e+08"),
            (-0.0, "-0"),
            (0.0, "0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-f64::NAN, "-nan"),
            (123456.0, "123456"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (999999.5, "1e+06"),
            (-2.5, "-2.5"),
            (1e100, "1e+100"),
            (1.7976931348623157e308, "1.79769e+308"),
            (5e-324, "4.94066e-324"),
            (0.1 + 0.2, "0.3"),
            (100.0 / 3.0, "33.3333"),
        ];
        for (number, text) in cases {
            assert_eq!(format_number(number), text, "formatting {number:?}");
        }
    }
}
