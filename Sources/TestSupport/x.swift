import BotKit
