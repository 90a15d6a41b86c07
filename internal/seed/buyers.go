package seed

import (
	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Buyer ids, named here because buying requests refer to them.
const (
	yueshengMusic  = "guangzhou-yuesheng-music"
	yiwuTonggu     = "yiwu-tonggu-trading"
	taipeiRhythm   = "taipei-rhythm-circle"
	taoyuanMart    = "taoyuan-nusantara-mart"
	causewayFoods  = "causeway-nusantara-foods"
	kedaiPecelHK   = "kedai-pecel-hk"
	yokohamaAqua   = "yokohama-aqua-trading"
	naniwaKoi      = "naniwa-koi-centre"
	kichijojiPerc  = "kichijoji-percussion"
	sunshineKoi    = "sunshine-state-koi"
	pacificAroid   = "pacific-aroid-imports"
	heartlandDrum  = "heartland-drum-supply"
	evergladesTrop = "everglades-tropicals"
	hansetrommel   = "hansetrommel-hamburg"
	lionCityKoi    = "lion-city-koi"
)

func interest(category pb.Category, hsPrefix string) *pb.ProductInterest {
	return &pb.ProductInterest{Category: category, HsPrefix: hsPrefix}
}

func buyers(c clock) []*pb.Buyer {
	return []*pb.Buyer{
		{
			Name:          buyerName(yueshengMusic),
			DisplayName:   "Guangzhou Yuesheng Musical Instruments Co., Ltd.",
			CountryCode:   "CN",
			City:          "Guangzhou",
			BusinessType:  pb.Buyer_WHOLESALER,
			WebsiteUri:    "https://yuesheng-music.example",
			Contact:       contact("Chen Wei", "+8613826471935", "", "chenwei@yuesheng-music.example"),
			LanguageCodes: langs("zh", "en"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_MUSICAL_INSTRUMENT, "9206"),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Business licence checked; has bought Blitar djembe through Surabaya exporters since 2019.",
		},
		{
			Name:          buyerName(yiwuTonggu),
			DisplayName:   "Yiwu Tonggu Trading Co.",
			CountryCode:   "CN",
			City:          "Yiwu",
			BusinessType:  pb.Buyer_ONLINE_SELLER,
			Contact:       contact("Wang Lina", "+8615967124583", "", "lina@tonggu-trading.example"),
			LanguageCodes: langs("zh"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_MUSICAL_INSTRUMENT, "9206"),
				interest(pb.Category_HANDICRAFT, ""),
			},
			VerificationState: pb.VerificationState_PENDING_REVIEW,
			VerificationNote:  "Business licence received, not yet checked.",
		},
		{
			Name:          buyerName(taipeiRhythm),
			DisplayName:   "Taipei Rhythm Circle Drum Shop",
			CountryCode:   "TW",
			City:          "Taipei",
			BusinessType:  pb.Buyer_RETAILER,
			WebsiteUri:    "https://rhythmcircle-tw.example",
			Contact:       contact("Lin Yu-ting", "+886935214768", "+886935214768", "yuting@rhythmcircle-tw.example"),
			LanguageCodes: langs("zh", "en"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_MUSICAL_INSTRUMENT, "9206"),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Met at the Adi Ekspor online business-matching session.",
		},
		{
			Name:          buyerName(taoyuanMart),
			DisplayName:   "Taoyuan Nusantara Mart",
			CountryCode:   "TW",
			City:          "Taoyuan",
			BusinessType:  pb.Buyer_RETAILER,
			Contact:       contact("Dewi Lin Hsiao-wen", "+886978203415", "+886978203415", "order@nusantaramart-tw.example"),
			LanguageCodes: langs("zh", "id"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_FOOD, "2103"),
			},
			VerificationState: pb.VerificationState_UNVERIFIED,
		},
		{
			Name:          buyerName(causewayFoods),
			DisplayName:   "Causeway Nusantara Foods Ltd.",
			CountryCode:   "HK",
			City:          "Hong Kong",
			BusinessType:  pb.Buyer_IMPORTER,
			WebsiteUri:    "https://causewaynusantara.example",
			Contact:       contact("Leung Ka-man", "+85228931746", "+85293417258", "kaman@causewaynusantara.example"),
			LanguageCodes: langs("zh", "en", "id"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_FOOD, "2103"),
				interest(pb.Category_FOOD, "1905"),
			},
			ImportRegistrations: []*pb.ImportRegistration{
				{
					Type:        "HK_FOOD_IMPORTER",
					Number:      "FID-2024-07315",
					Issuer:      "Centre for Food Safety",
					CountryCode: "HK",
					ExpiryDate:  c.monthsFromNow(20),
				},
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Food importer registration checked against the CFS register; supplies shops around Causeway Bay serving Indonesian workers.",
		},
		{
			Name:          buyerName(kedaiPecelHK),
			DisplayName:   "Kedai Pecel HK",
			CountryCode:   "HK",
			City:          "Hong Kong",
			BusinessType:  pb.Buyer_ONLINE_SELLER,
			Contact:       contact("Ratna Dewi", "+85265210943", "+85265210943", ""),
			LanguageCodes: langs("id", "en"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_FOOD, ""),
			},
			VerificationState: pb.VerificationState_UNVERIFIED,
		},
		{
			Name:          buyerName(yokohamaAqua),
			DisplayName:   "Yokohama Aqua Trading",
			CountryCode:   "JP",
			City:          "Yokohama",
			BusinessType:  pb.Buyer_IMPORTER,
			WebsiteUri:    "https://yokohama-aqua.example",
			Contact:       contact("Sato Kenji", "+819041237856", "+819041237856", "sato@yokohama-aqua.example"),
			LanguageCodes: langs("ja", "en"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_ORNAMENTAL_FISH, "030111"),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			// Japan breeds koi and Indonesia imports Japanese koi, so a
			// Niigata breeder would not buy Blitar koi; an importer of
			// Indonesian aquarium fish supplying home centres with low-priced
			// pond koi might, once Japan's health conditions allow it.
			VerificationNote: "Importer of Indonesian aquarium fish for home centres; introduced by the Indonesian trade attaché; company registration checked.",
		},
		{
			Name:        buyerName(naniwaKoi),
			DisplayName: "Naniwa Koi Centre",
			CountryCode: "JP",
			City:        "Osaka",
			// A garden-centre supplier of pond fish, not a breeder.
			BusinessType:  pb.Buyer_DISTRIBUTOR,
			Contact:       contact("Tanaka Yumi", "+818027419630", "", "tanaka@naniwa-koi.example"),
			LanguageCodes: langs("ja"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_ORNAMENTAL_FISH, ""),
			},
			VerificationState: pb.VerificationState_PENDING_REVIEW,
		},
		{
			Name:          buyerName(kichijojiPerc),
			DisplayName:   "Kichijoji Percussion",
			CountryCode:   "JP",
			City:          "Tokyo",
			BusinessType:  pb.Buyer_RETAILER,
			WebsiteUri:    "https://kichijoji-perc.example",
			Contact:       contact("Mori Hiroshi", "+819058316027", "", "mori@kichijoji-perc.example"),
			LanguageCodes: langs("ja", "en"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_MUSICAL_INSTRUMENT, "9206"),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Existing customer of Garum Perkusi Nusantara.",
		},
		{
			Name:          buyerName(sunshineKoi),
			DisplayName:   "Sunshine State Koi Imports LLC",
			CountryCode:   "US",
			City:          "Miami, Florida",
			BusinessType:  pb.Buyer_IMPORTER,
			WebsiteUri:    "https://sunshinekoi.example",
			Contact:       contact("Daniel Alvarez", "+13052471836", "", "daniel@sunshinekoi.example"),
			LanguageCodes: langs("en", "es"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_ORNAMENTAL_FISH, "0301"),
			},
			ImportRegistrations: []*pb.ImportRegistration{
				{
					Type:        "USDA_APHIS_VS_17_129",
					Number:      "VS-17-129-2025-0418",
					Issuer:      "USDA APHIS",
					CountryCode: "US",
					ExpiryDate:  c.monthsFromNow(9),
				},
				{
					Type:        "USFWS_IMPORT_LICENSE",
					Number:      "A2418503",
					Issuer:      "US Fish and Wildlife Service",
					CountryCode: "US",
					ExpiryDate:  c.monthsFromNow(5),
				},
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "APHIS permit and USFWS licence checked.",
		},
		{
			Name:          buyerName(pacificAroid),
			DisplayName:   "Pacific Aroid Imports",
			CountryCode:   "US",
			City:          "Santa Ana, California",
			BusinessType:  pb.Buyer_IMPORTER,
			WebsiteUri:    "https://pacificaroid.example",
			Contact:       contact("Megan Brooks", "+17143920571", "", "megan@pacificaroid.example"),
			LanguageCodes: langs("en"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_ORNAMENTAL_PLANT, "0602"),
			},
			ImportRegistrations: []*pb.ImportRegistration{
				{
					Type:        "USDA_PPQ_587",
					Number:      "PCIE-25-01842",
					Issuer:      "USDA APHIS PPQ",
					CountryCode: "US",
					ExpiryDate:  c.monthsFromNow(14),
				},
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "PPQ 587 permit checked; buys from Kebun Aroid Satreyan since 2021.",
		},
		{
			Name:          buyerName(heartlandDrum),
			DisplayName:   "Heartland Drum Supply Inc.",
			CountryCode:   "US",
			City:          "Nashville, Tennessee",
			BusinessType:  pb.Buyer_WHOLESALER,
			WebsiteUri:    "https://heartlanddrum.example",
			Contact:       contact("Jessica Turner", "+16152387410", "", "jturner@heartlanddrum.example"),
			LanguageCodes: langs("en"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_MUSICAL_INSTRUMENT, "920600"),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Company registration and references from two music-store chains checked.",
		},
		{
			Name:          buyerName(evergladesTrop),
			DisplayName:   "Everglades Tropicals",
			CountryCode:   "US",
			City:          "Homestead, Florida",
			BusinessType:  pb.Buyer_ONLINE_SELLER,
			Contact:       contact("Kevin Nguyen", "+17862194038", "", "kevin@evergladestropicals.example"),
			LanguageCodes: langs("en"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_ORNAMENTAL_PLANT, ""),
			},
			VerificationState: pb.VerificationState_UNVERIFIED,
		},
		{
			Name:          buyerName(hansetrommel),
			DisplayName:   "Hansetrommel GmbH",
			CountryCode:   "DE",
			City:          "Hamburg",
			BusinessType:  pb.Buyer_DISTRIBUTOR,
			WebsiteUri:    "https://hansetrommel.example",
			Contact:       contact("Katrin Vogel", "+4915137629084", "", "k.vogel@hansetrommel.example"),
			LanguageCodes: langs("de", "en"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_MUSICAL_INSTRUMENT, "9206"),
				interest(pb.Category_HANDICRAFT, "4602"),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Handelsregister extract checked.",
		},
		{
			Name:          buyerName(lionCityKoi),
			DisplayName:   "Lion City Koi Pte. Ltd.",
			CountryCode:   "SG",
			City:          "Singapore",
			BusinessType:  pb.Buyer_RETAILER,
			Contact:       contact("Tan Wei Ming", "+6591827364", "+6591827364", "weiming@lioncitykoi.example"),
			LanguageCodes: langs("en", "zh"),
			ProductInterests: []*pb.ProductInterest{
				interest(pb.Category_ORNAMENTAL_FISH, "030111"),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "ACRA business profile checked.",
		},
	}
}
