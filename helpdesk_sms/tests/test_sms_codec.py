from odoo.tests import BaseCase, tagged

from ..tools import sms_codec


@tagged("post_install", "-at_install")
class TestSmsCodec(BaseCase):
    def test_gsm7_counts_extension_characters_twice(self):
        self.assertEqual(sms_codec.count("Halo"), ("gsm7", 4, 1, 156))
        self.assertEqual(sms_codec.count("Harga €5 [promo]")[1], 19)
        self.assertEqual(sms_codec.count(""), ("gsm7", 0, 0, 160))

    def test_split_gsm7_never_cuts_an_escape_sequence(self):
        text = "a" * 152 + "€" + "b" * 20
        parts = sms_codec.split(text)
        self.assertEqual(parts, ["a" * 152, "€" + "b" * 20])
        self.assertEqual(sms_codec.count("x" * 160)[2], 1)
        self.assertEqual(sms_codec.count("x" * 161)[2], 2)

    def test_unicode_limits_and_surrogate_pairs(self):
        self.assertEqual(sms_codec.count("✓" * 70)[:3], ("ucs2", 70, 1))
        self.assertEqual(sms_codec.count("✓" * 71)[2], 2)
        parts = sms_codec.split("a" * 66 + "😀" + "b" * 5)
        self.assertEqual(parts, ["a" * 66, "😀bbbbb"], "an emoji (two UTF-16 units) stays whole")
        self.assertEqual("".join(sms_codec.split("Mohon maaf 🙏 " * 20)), "Mohon maaf 🙏 " * 20)

    def test_concatenation_header(self):
        self.assertEqual(sms_codec.concat_udh(0xA7, 3, 2), "050003A70302")
        self.assertEqual(sms_codec.parse_concat_udh("050003A70302"), (0xA7, 3, 2))
        self.assertEqual(sms_codec.parse_concat_udh("0608041234030"  "1"), (0x1234, 3, 1))
        self.assertIsNone(sms_codec.parse_concat_udh(""))
        self.assertIsNone(sms_codec.parse_concat_udh("0401020000"), "another element than concatenation")
        for broken in ("0500", "050003A7030", "ZZ", "050003A70304", "050003A70003"):
            with self.assertRaises(ValueError, msg=broken):
                sms_codec.parse_concat_udh(broken)

    def test_inbox_text_decoding(self):
        hex_text = "Tes ✓".encode("utf-16-be").hex()
        self.assertEqual(sms_codec.decode_inbox_text("Unicode_No_Compression", hex_text, "whole"), "Tes ✓")
        self.assertEqual(sms_codec.decode_inbox_text("8bit", "48692021", ""), "Hi !")
        self.assertEqual(sms_codec.decode_inbox_text("Default_No_Compression", "", "decoded"), "decoded")
        self.assertEqual(sms_codec.decode_inbox_text("Default_No_Compression", "XYZ", "fallback"), "fallback")
