#include "data/DemoTeachingVocabulary.h"

// The words of the teaching shop. Brands and product lines are invented; any likeness to a real
// one is accidental. Plain ASCII and single-word brands and lines on purpose: a title ID keeps the
// first five words of a title, and those must hold the brand, the line and the product noun.

namespace idgen::demo::teaching {
namespace {

std::vector<Department> buildDepartments()
{
    std::vector<Department> all;

    all.push_back({.name = "Hair Care",
                   .pattern = "routine",
                   .weight = 12,
                   .steps = {{"Shampoo", "Shampoo", {"250 ml", "400 ml", "Travel Size"}, 4, 18},
                             {"Conditioner", "Conditioner", {"200 ml", "400 ml", "Travel Size"}, 5, 20},
                             {"Hair Masks", "Hair Mask", {"200 ml", "300 ml Jar"}, 8, 28},
                             {"Hair Oils", "Hair Oil", {"50 ml", "100 ml"}, 9, 32}},
                   .repeatStep = 0,
                   .brands = {"Silkara", "Tressa", "Curlwell", "Lustra"},
                   .lines = {"Argan", "Keratin", "Coconut", "Volume", "Repair", "Rosemary", "Hydrate", "Shine",
                             "Biotin", "Silk", "Aloe", "Honey", "Bamboo", "Mint", "Moringa", "Jojoba"},
                   .features = {"Sulfate-free and gentle on coloured hair.",
                                "Leaves hair soft, smooth and easy to comb.",
                                "Made with plant oils and a light, fresh scent.",
                                "Suitable for daily use on every hair type.",
                                "Vegan and cruelty-free, in a recyclable bottle."},
                   .uses = {"Works best with the rest of its line.", "Massage in, leave for a minute and rinse.",
                            "Use two or three times a week."}});

    all.push_back({.name = "Skincare",
                   .pattern = "routine",
                   .weight = 12,
                   .steps = {{"Cleansers", "Gel Cleanser", {"150 ml", "200 ml", "Travel Size"}, 7, 24},
                             {"Serums", "Face Serum", {"30 ml", "50 ml"}, 12, 48},
                             {"Moisturizers", "Day Cream", {"50 ml", "75 ml"}, 10, 42},
                             {"Sun Care", "Sunscreen SPF 50", {"50 ml", "100 ml"}, 8, 30}},
                   .repeatStep = 0,
                   .brands = {"Dewpoint", "Aurelle", "Skinsmith", "Mossgrove"},
                   .lines = {"Hydra", "Calm", "Glow", "Clear", "Barrier", "Renew", "Pure", "Velvet", "Dew", "Bright",
                             "Soothe", "Matte", "Vital", "Petal", "Cica", "Radiance"},
                   .features = {"Fragrance-free and dermatologist tested.",
                                "Absorbs quickly without a greasy finish.",
                                "Suitable for all skin types, including sensitive skin.",
                                "Formulated with ceramides to lock in moisture.",
                                "Non-comedogenic formula that will not clog pores."},
                   .uses = {"Use morning and evening on clean skin.", "Layer with the other steps of its line.",
                            "Use daily for best results."}});

    all.push_back({.name = "Cameras",
                   .pattern = "accessories",
                   .weight = 9,
                   .steps = {{"Cameras", "Mirrorless Camera", {"Body Only", "with Kit Lens"}, 420, 1400},
                             {"Memory Cards", "Memory Card", {"64 GB", "128 GB", "256 GB"}, 14, 70},
                             {"Tripods", "Travel Tripod", {"Aluminium", "Carbon Fibre"}, 35, 160},
                             {"Camera Bags", "Camera Bag", {"Black", "Grey", "Olive"}, 25, 110}},
                   .repeatStep = 1,
                   .brands = {"Optix", "Lensa", "Brightfield", "Kamero"},
                   .lines = {"Vista", "Zenith", "Nova", "Aero", "Summit", "Atlas", "Orbit", "Pulse", "Horizon",
                             "Prism", "Falcon", "Comet", "Drift", "Echo", "Quest", "Spark"},
                   .features = {"Built to survive rain, dust and the odd drop.",
                                "Made for the camera of the same line and tested with it.",
                                "Light enough to carry all day.", "Backed by a two-year warranty.",
                                "Designed by the brand's own camera team."},
                   .uses = {"Ready for travel, street and landscape photography.",
                            "A good match for beginners and enthusiasts alike."}});

    all.push_back({.name = "Printers",
                   .pattern = "refill",
                   .weight = 8,
                   .steps = {{"Printers", "Photo Printer", {"White", "Black", "Wireless"}, 60, 260},
                             {"Ink", "Ink Cartridge", {"Black", "Colour", "Multipack"}, 12, 55},
                             {"Paper", "Photo Paper", {"A4, 50 Sheets", "10 x 15 cm, 100 Sheets"}, 8, 30},
                             {"Maintenance", "Cleaning Kit", {"Standard", "Deluxe"}, 9, 25}},
                   .repeatStep = 1,
                   .brands = {"Printwell", "Inkora", "Copia", "Papyra"},
                   .lines = {"Studio", "Office", "Swift", "Home", "Chroma", "Jet", "Smart", "Compact", "Express", "Duo",
                             "Mono", "Vivid", "Eco", "Metro", "Focus", "Crisp"},
                   .features = {"Made for vivid, borderless photo prints.",
                                "Original supplies that fit only this printer line.",
                                "Quick set-up from a phone over Wi-Fi.", "Quiet enough for a home office.",
                                "Fade-resistant inks that last for decades."},
                   .uses = {"Keep a spare at hand.", "Made for family photos and school projects."}});

    all.push_back({.name = "Coffee",
                   .pattern = "refill",
                   .weight = 10,
                   .steps = {{"Machines", "Espresso Machine", {"Black", "Silver", "Red"}, 90, 450},
                             {"Capsules", "Coffee Capsules", {"Pack of 30", "Pack of 60", "Pack of 100"}, 9, 38},
                             {"Milk", "Milk Frother", {"Black", "Silver"}, 30, 90},
                             {"Care", "Descaling Kit", {"2 Doses", "4 Doses"}, 8, 20}},
                   .repeatStep = 1,
                   .brands = {"Bellacrema", "Brewmaster", "Caffio", "Roastwell"},
                   .lines = {"Classico", "Lungo", "Doppio", "Crema", "Barista", "Velluto", "Ristretto", "Aroma",
                             "Cortado", "Mocha", "Intenso", "Dolce", "Forte", "Napoli", "Roma", "Milano"},
                   .features = {"Made for rich, creamy espresso at home.",
                                "Capsules and parts made for the machine of the same line.",
                                "Quick to set up and simple to use.", "Designed and tested in the brand's own coffee lab.",
                                "Easy to clean, with dishwasher-safe parts."},
                   .uses = {"Brings the coffee bar home.", "Makes a great gift for coffee lovers."}});

    all.push_back({.name = "Oral Care",
                   .pattern = "refill",
                   .weight = 8,
                   .steps = {{"Toothbrushes", "Electric Toothbrush", {"White", "Black", "Pink"}, 30, 160},
                             {"Brush Heads", "Brush Heads", {"Pack of 2", "Pack of 4", "Pack of 8"}, 10, 40},
                             {"Toothpaste", "Toothpaste", {"75 ml", "Twin Pack"}, 3, 12},
                             {"Flossers", "Water Flosser", {"Cordless", "Countertop"}, 35, 110}},
                   .repeatStep = 1,
                   .brands = {"Dentara", "Oralis", "Pearlo", "Smilecraft"},
                   .lines = {"Sonic", "Fresh", "Gentle", "Polar", "Mint", "Arctic", "Crystal", "Daily", "Sensitive",
                             "Breeze", "Enamel", "Herbal", "Charcoal", "Zen", "Coral", "Ocean"},
                   .features = {"Removes more plaque than a manual brush.",
                                "Fits every handle of the same line.",
                                "Recommended by dentists for sensitive gums.",
                                "Designed with dentists for a complete daily routine.",
                                "Gentle on enamel and gums."},
                   .uses = {"Replace the brush head every three months.", "Use twice a day."}});

    all.push_back({.name = "Outdoor Apparel",
                   .pattern = "seasonal",
                   .weight = 9,
                   .steps = {{"Spring Collection", "Spring Rain Jacket", {"Size S", "Size M", "Size L", "Size XL"}, 60, 180},
                             {"Summer Collection", "Summer Hiking Shorts", {"Size S", "Size M", "Size L", "Size XL"}, 25, 70},
                             {"Autumn Collection", "Autumn Fleece Jacket", {"Size S", "Size M", "Size L", "Size XL"}, 45, 130},
                             {"Winter Collection", "Winter Down Parka", {"Size S", "Size M", "Size L", "Size XL"}, 120, 380}},
                   .repeatStep = 0,
                   .brands = {"Northpeak", "Trailhead", "Fjellmark", "Cascadia"},
                   .lines = {"Ridge", "Alpine", "Canyon", "Glacier", "Meadow", "Timber", "Tundra", "Boulder", "Cedar",
                             "Fjord", "Granite", "Harbor", "Lakeside", "Pinecrest", "Redwood", "Sierra"},
                   .features = {"Made from recycled fabrics.", "Cut for a relaxed fit over layers.",
                                "Matches the other pieces of its line in colour and cut.",
                                "Packs small into its own pocket.", "Tested on trails through every season."},
                   .uses = {"Ready for the trail and the city.", "Machine washable at 30 degrees."}});

    all.push_back({.name = "Garden",
                   .pattern = "seasonal",
                   .weight = 7,
                   .steps = {{"Seeds", "Spring Seed Kit", {"Herbs", "Vegetables", "Wildflowers"}, 8, 30},
                             {"Watering", "Summer Garden Hose", {"15 m", "25 m", "30 m"}, 20, 70},
                             {"Tools", "Autumn Leaf Rake", {"Steel", "Bamboo"}, 15, 45},
                             {"Frost Protection", "Winter Plant Cover", {"Pack of 3", "Large"}, 10, 35}},
                   .repeatStep = 0,
                   .brands = {"Greenacre", "Bloomfield", "Rootwise", "Verdant"},
                   .lines = {"Orchard", "Cottage", "Hedgerow", "Willow", "Primrose", "Fern", "Clover", "Heather",
                             "Thistle", "Bramble", "Sage", "Juniper", "Lavender", "Marigold", "Poppy", "Ivy"},
                   .features = {"Built to last through many seasons.", "Made from weatherproof, recycled materials.",
                                "Designed to go with the rest of its line.", "Light and easy to store.",
                                "Comes with a five-year guarantee."},
                   .uses = {"For gardens, balconies and allotments.", "A good start for new gardeners."}});

    all.push_back({.name = "Board Games",
                   .pattern = "series",
                   .weight = 9,
                   .steps = {{"Games", "Board Game", {"Family Edition", "Deluxe Edition"}, 25, 80},
                             {"Expansions", "Expansion Pack", {"for 5 and 6 Players", "Legacy Edition"}, 15, 45},
                             {"Sleeves", "Card Sleeves", {"Pack of 100", "Pack of 200"}, 6, 16},
                             {"Storage", "Game Organizer", {"Wooden", "Foam Insert"}, 18, 55}},
                   .repeatStep = -1,
                   .brands = {"Meeplecraft", "Dicewright", "Boardhaus", "Cardfolk"},
                   .lines = {"Empires", "Harbors", "Dragons", "Orchards", "Castles", "Voyagers", "Skylines", "Islands",
                             "Caravans", "Lanterns", "Monsoon", "Pharaohs", "Railways", "Starfall", "Vikings", "Wizards"},
                   .features = {"For two to four players aged ten and up.", "Part of a much-loved game series.",
                                "Sized for the cards and box of its own game.",
                                "Beautifully illustrated, with sturdy wooden pieces.",
                                "Easy to learn, with depth for experienced players."},
                   .uses = {"Perfect for game nights.", "A great gift for families and friends."}});

    all.push_back({.name = "Aquarium",
                   .pattern = "refill",
                   .weight = 6,
                   .steps = {{"Tanks", "Fish Tank", {"30 Litre", "60 Litre", "120 Litre"}, 45, 260},
                             {"Filters", "Aquarium Filter", {"Internal", "External"}, 20, 90},
                             {"Filter Media", "Filter Cartridges", {"Pack of 3", "Pack of 6"}, 8, 24},
                             {"Fish Food", "Fish Food", {"Flakes", "Pellets", "Granules"}, 4, 15}},
                   .repeatStep = 2,
                   .brands = {"Aquara", "Reefline", "Bluewater", "Finmark"},
                   .lines = {"Lagoon", "Coral", "Tropic", "Reef", "Delta", "Nautic", "Marina", "Current", "Tide", "Atoll",
                             "Cove", "Kelp", "Shoal", "Lotus", "Abyss", "Bayou"},
                   .features = {"Keeps the water clear and healthy.",
                                "Fits the tank and filter of the same line.",
                                "Quiet and energy-saving.", "Safe for freshwater fish and plants.",
                                "Simple to set up and maintain."},
                   .uses = {"For beginners and experienced fishkeepers.", "Change the cartridge once a month."}});

    return all;
}

} // namespace

const std::vector<Department> &departments()
{
    static const std::vector<Department> all = buildDepartments();
    return all;
}

} // namespace idgen::demo::teaching
